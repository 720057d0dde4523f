/**
 * Language names in their own language, for the "Interface language" list. Intl.DisplayNames gives them where
 * the browser has the language's data; Chromium's trimmed ICU has none for some Kalkan ships (it answers
 * "Kyrgyz" for ky), so these autonyms (CLDR's) stand in when Intl can only answer in English.
 */
const AUTONYMS: Readonly<Record<string, string>> = {
  ar: 'العربية', de: 'Deutsch', en: 'English', es: 'español', fa: 'فارسی', fr: 'français', he: 'עברית',
  kk: 'қазақ тілі', ky: 'кыргызча', pl: 'polski', pt: 'português', ru: 'русский', tr: 'Türkçe', uk: 'українська',
  'zh-hans': '简体中文',
};

function displayName(locale: string, code: string): string | null {
  try {
    return new Intl.DisplayNames([locale], { type: 'language', fallback: 'none' }).of(code) ?? null;
  } catch (error) {
    // An invalid tag (RangeError) cannot be named.
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** A language's name in that language ("кыргызча", "العربية", "简体中文"), or its code where nothing names it. */
export function ownLanguageName(code: string): string {
  const own = displayName(code, code);
  const english = code === 'en' ? null : displayName('en', code);
  if (own && own !== english) return own;
  return AUTONYMS[code.toLowerCase()] ?? own ?? code;
}

/** The choices of the "Interface language" setting, in the order given. */
export function languageChoices(codes: readonly string[]): Array<{ code: string; name: string }> {
  return codes.map((code) => ({ code, name: ownLanguageName(code) }));
}
