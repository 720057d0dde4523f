// @vitest-environment happy-dom
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALLOWED_TAGS, isSafeHref, MAX_SANITISE_NODES, sanitizeCommentHtml } from '../../../utils/reports/sanitize';
import { ODD_UNICODE } from './arbitraries';

/** Runs of the tag-soup property (each builds a DOM and sanitises it). */
const RUNS = 300;
/** Wall-clock bound for one generated comment (up to ~120 pieces) in happy-dom on a shared 2-core machine. */
const SANITISE_BOUND_MS = 1_000;
/** Wall-clock bound for a comment of 1 MB of markup. */
const SANITISE_MEGABYTE_BOUND_MS = 20_000;

function fragment(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** Attributes that survive: per tag, only these. */
const ALLOWED_ATTRIBUTES: Readonly<Record<string, ReadonlySet<string>>> = { a: new Set(['href', 'title', 'rel', 'dir', 'lang']) };
const GLOBAL_ATTRIBUTES: ReadonlySet<string> = new Set(['dir', 'lang']);

/** The output, parsed again, holds nothing that can run, load, or restyle. */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<\s*(script|style|iframe|object|embed|svg|math|img|link|meta|base|form|template)\b/i);
  const parsed = fragment(html);
  for (const element of Array.from(parsed.querySelectorAll('*'))) {
    const tag = element.localName;
    expect(ALLOWED_TAGS.has(tag), `tag ${tag}`).toBe(true);
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      expect(name.startsWith('on'), `event handler ${name}`).toBe(false);
      expect((ALLOWED_ATTRIBUTES[tag] ?? GLOBAL_ATTRIBUTES).has(name), `attribute ${name} on ${tag}`).toBe(true);
      if (name === 'href') {
        expect(isSafeHref(attribute.value), attribute.value).toBe(true);
        expect(attribute.value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '')).not.toMatch(/^(javascript|vbscript|data):/i);
      }
      expect(attribute.value).not.toMatch(/url\s*\(/i);
    }
  }
}

const hostileHref = fc.constantFrom(
  'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:x', 'java\tscript:x', 'java\u0000script:x', '\u0001javascript:x',
  'jav&#x09;ascript:x', 'javascript&colon;x', 'vbscript:x', 'data:text/html,<script>alert(1)</script>', 'https://ok.example/x',
  '/wiki/User:A', '//evil.example/x', 'blob:https://x/y', 'file:///etc/passwd', '\u202Ejavascript:x', 'javascript\u200B:x',
);
const attribute = fc.oneof(
  hostileHref.map((h) => `href="${h}"`),
  fc.constantFrom('onclick="x()"', 'ONERROR=x()', 'onmouseover=\'x\'', 'style="background:url(javascript:x)"',
    'style="background-image:url(https://evil.example/t.png)"', 'srcdoc="<script>x</script>"', 'formaction="javascript:x"',
    'xlink:href="javascript:x"', 'dir="rtl"', 'dir="evil"', 'lang="ky"', 'title="t"', 'class="mw-x"', 'id="x"', 'data-x="1"'),
);
const tag = fc.constantFrom(...ALLOWED_TAGS, 'script', 'style', 'iframe', 'img', 'svg', 'math', 'object', 'embed', 'form', 'input',
  'button', 'textarea', 'template', 'noscript', 'link', 'meta', 'base', 'div', 'table', 'td', 'sup', 'font', 'marquee', 'details', 'video');
const open = fc.tuple(tag, fc.array(attribute, { maxLength: 3 })).map(([t, attrs]) => `<${t} ${attrs.join(' ')}>`);
const piece = fc.oneof(
  { weight: 4, arbitrary: open },
  { weight: 2, arbitrary: tag.map((t) => `</${t}>`) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_UNICODE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom('<!--', '-->', '<![CDATA[', ']]>', '<?x?>', '&lt;script&gt;', '<svg><script>alert(1)</script></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="javascript:alert(1)">x</a>', '<img src=x onerror=alert(1)//', '<scr<script>ipt>alert(1)</script>') },
);
const soup = fc.array(piece, { maxLength: 120 }).map((p) => p.join(''));

describe('sanitiser on hostile HTML', () => {
  it('output never contains an executable construct (script, on*, javascript: URL, style with url()); stable; within time', () => {
    fc.assert(
      fc.property(soup, (html) => {
        const t0 = performance.now();
        const out = sanitizeCommentHtml(fragment(html));
        expect(performance.now() - t0).toBeLessThan(SANITISE_BOUND_MS);
        expectInert(out);
        // Sanitising the output again keeps it inert and keeps the text. (Not byte-identical: the copy may nest
        // what the HTML parser would not, e.g. <dt> in <dt> from "<dt><div><dt>", counterexample of this test.)
        const again = sanitizeCommentHtml(fragment(out));
        expectInert(again);
        expect(fragment(again).textContent).toBe(fragment(out).textContent);
      }),
      { numRuns: RUNS },
    );
  });

  const cases: [name: string, html: string][] = [
    ['mXSS via svg/math namespace confusion', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
    ['noscript attribute break-out', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
    ['split script tag', '<scr<script>ipt>alert(1)</script>'],
    ['NUL inside javascript:', '<a href="java\u0000script:alert(1)">x</a>'],
    ['zero-width inside the scheme', '<a href="javascript\u200B:alert(1)">x</a>'],
    ['style with url() on an allowed tag', '<span style="background:url(https://evil.example/t.png)">x</span>'],
    ['event handler in upper case on an allowed tag', '<b ONMOUSEOVER="x()">t</b>'],
    ['bidi override before the scheme', '<a href="\u202Ejavascript:x">x</a>'],
  ];
  it.each(cases)('%s', (_name, html) => {
    expectInert(sanitizeCommentHtml(fragment(html)));
  });

  it.each(['<b onclick="x()">t</b>', '<a href="javascript:x">t</a>', '<span style="background:url(x)">t</span>', '<img src=x>', '<p>a<script>x</script></p>'])(
    'the inertness check itself fails on %s',
    (html) => {
      expect(() => expectInert(html)).toThrow();
    },
  );

  it('1 MB of nested markup degrades to text within time and stays inert', () => {
    const unit = '<b onclick="x()"><i><a href="javascript:x">link</a> text <script>bad()</script></i></b> ';
    const html = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const t0 = performance.now();
    const out = sanitizeCommentHtml(fragment(html));
    expect(performance.now() - t0).toBeLessThan(SANITISE_MEGABYTE_BOUND_MS);
    expectInert(out);
    // The node budget applies: formatting is kept for the first MAX_SANITISE_NODES nodes only.
    expect(fragment(out).querySelectorAll('*').length).toBeLessThanOrEqual(MAX_SANITISE_NODES);
    expect(out).toContain('link text');
  });
});
