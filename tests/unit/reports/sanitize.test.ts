// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { isSafeHref, MAX_SANITISE_DEPTH, sanitizeCommentHtml } from '../../../utils/reports/sanitize';

function fragment(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

function clean(html: string): string {
  return sanitizeCommentHtml(fragment(html));
}

describe('sanitizeCommentHtml', () => {
  const cases: [name: string, input: string, expected: string][] = [
    ['plain text', 'hello &amp; bye', 'hello &amp; bye'],
    ['allowed formatting kept', '<p><b>bold</b> <i>it</i> <code>x</code><br>next</p>', '<p><b>bold</b> <i>it</i> <code>x</code><br>next</p>'],
    ['lists and quotes kept', '<ul><li>a</li></ul><blockquote>q</blockquote><dl><dd>d</dd></dl>', '<ul><li>a</li></ul><blockquote>q</blockquote><dl><dd>d</dd></dl>'],
    ['script removed with its content', '<p>hi<script>alert(1)</script></p>', '<p>hi</p>'],
    ['style element removed', '<style>p{color:red}</style><p>t</p>', '<p>t</p>'],
    ['style attribute removed', '<span style="display:none">hidden?</span>', '<span>hidden?</span>'],
    ['event handlers removed', '<b onclick="steal()" onmouseover="x()">t</b>', '<b>t</b>'],
    ['iframe removed', 'a<iframe src="https://evil.example"></iframe>b', 'ab'],
    ['img with onerror removed', 'a<img src=x onerror="alert(1)">b', 'ab'],
    ['svg removed with its content', '<svg><text>t</text></svg>ok', 'ok'],
    ['javascript: link loses href, keeps text', '<a href="javascript:alert(1)">click</a>', '<a>click</a>'],
    ['obfuscated javascript: link', '<a href=" java\tscript:alert(1)">x</a>', '<a>x</a>'],
    ['data: link', '<a href="data:text/html,<script>alert(1)</script>">x</a>', '<a>x</a>'],
    ['https link kept with rel', '<a href="https://en.wikipedia.org/wiki/X" title="X" class="mw-redirect">X</a>', '<a href="https://en.wikipedia.org/wiki/X" title="X" rel="nofollow noopener noreferrer">X</a>'],
    ['relative link kept', '<a href="/wiki/User:A">A</a>', '<a href="/wiki/User:A" rel="nofollow noopener noreferrer">A</a>'],
    ['unknown wrappers unwrapped, text kept', '<div class="x"><table><tr><td>cell</td></tr></table></div>', 'cell'],
    ['id and class dropped', '<span id="a" class="b" data-x="1">t</span>', '<span>t</span>'],
    ['dir and lang kept when well formed', '<span dir="RTL" lang="he">שלום</span>', '<span dir="rtl" lang="he">שלום</span>'],
    ['bad dir and lang dropped', '<span dir="evil" lang="x y">t</span>', '<span>t</span>'],
    ['form controls removed', '<form><input value="v"><button>b</button></form>after', 'after'],
    ['HTML comments removed', 'a<!-- secret -->b', 'ab'],
    ['text that looks like markup stays text', '&lt;script&gt;alert(1)&lt;/script&gt;', '&lt;script&gt;alert(1)&lt;/script&gt;'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(clean(input)).toBe(expected);
  });

  it('accepts a single element as root and keeps it when allowed', () => {
    const p = document.createElement('p');
    p.innerHTML = 'x<script>y</script>';
    expect(sanitizeCommentHtml(p)).toBe('<p>x</p>');
  });

  it('flattens to text past the depth budget instead of recursing', () => {
    const deep = `${'<span>'.repeat(MAX_SANITISE_DEPTH + 5)}deep${'</span>'.repeat(MAX_SANITISE_DEPTH + 5)}`;
    const out = clean(deep);
    expect(out).toContain('deep');
    expect(out.split('<span>').length - 1).toBeLessThanOrEqual(MAX_SANITISE_DEPTH);
  });

  it('does not touch the source tree', () => {
    const source = fragment('<p onclick="x()">t<script>s</script></p>');
    sanitizeCommentHtml(source);
    expect((source.firstChild as Element).getAttribute('onclick')).toBe('x()');
  });
});

describe('isSafeHref', () => {
  it.each(['https://a.org', 'http://a.org/x', '/wiki/A', './User:A', '?q=1', '#c-1', '//a.org/x'])('allows %s', (href) => {
    expect(isSafeHref(href)).toBe(true);
  });
  it.each(['javascript:alert(1)', 'JAVASCRIPT:x', 'vbscript:x', 'data:text/html,x', ' javascript:x', 'jav\nascript:x', 'mailto:a@b.c', 'User:A'])('refuses %s (a bare "User:A" reads as scheme "user:")', (href) => {
    expect(isSafeHref(href)).toBe(false);
  });
});
