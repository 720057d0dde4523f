/** Reading banana/MediaWiki message syntax in tests: parameters, PLURAL forms, manifest locale folders. */

/** Distinct parameters of a message ($1, $2 … by default), sorted. */
export function placeholdersOf(text: string, pattern: RegExp = /\$\d+/g): string[] {
  return [...new Set(text.match(pattern) ?? [])].sort();
}

/** Splits `body` at "|" outside nested {{…}} and [[…]]. */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i += 1) {
    const pair = body.slice(i, i + 2);
    if (pair === '{{' || pair === '[[') {
      depth += 1;
      i += 1;
    } else if ((pair === '}}' || pair === ']]') && depth > 0) {
      depth -= 1;
      i += 1;
    } else if (body[i] === '|' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

/**
 * The forms of every {{PLURAL:…}} in a message (nested ones too), without explicit-number forms such as "0=none",
 * which stand outside the language's plural categories.
 */
export function pluralForms(text: string): string[][] {
  const out: string[][] = [];
  const open = /\{\{\s*PLURAL:/gi;
  for (let match = open.exec(text); match; match = open.exec(text)) {
    let depth = 1;
    let i = match.index + match[0].length;
    const bodyStart = i;
    while (i < text.length && depth > 0) {
      if (text.startsWith('{{', i)) {
        depth += 1;
        i += 2;
      } else if (text.startsWith('}}', i)) {
        depth -= 1;
        i += 2;
      } else i += 1;
    }
    const body = text.slice(bodyStart, depth === 0 ? i - 2 : i);
    const [, ...forms] = splitTopLevel(body);
    out.push(forms.filter((form) => !/^\s*\d+\s*=/.test(form)));
  }
  return out;
}

/**
 * The public/_locales folder of a shipped language. Chrome knows Portuguese and Chinese only by region
 * (pt_BR/pt_PT, zh_CN/zh_TW); MediaWiki's pt and zh-hans read as Brazilian and Simplified (mainland) there.
 */
export function chromeLocaleOf(lang: string): string {
  const special: Record<string, string> = { pt: 'pt_BR', 'zh-hans': 'zh_CN', 'zh-hant': 'zh_TW' };
  return special[lang] ?? lang.replace(/-/g, '_');
}
