import { RegionSchema } from './schema.ts';

/**
 * Default-country hints for national phone numbers ("0555 123 456" is Kyrgyz only if someone says so): the region
 * most associated with the wiki's content language, then the regions in the browser's language list. Only a hint:
 * numbers with "+" are validated by their own country code.
 */
const LANGUAGE_REGIONS: Readonly<Record<string, string>> = {
  ky: 'KG', ru: 'RU', uk: 'UA', kk: 'KZ', be: 'BY', uz: 'UZ', tg: 'TJ', tr: 'TR', az: 'AZ', hy: 'AM', ka: 'GE',
  de: 'DE', fr: 'FR', es: 'ES', it: 'IT', pt: 'BR', nl: 'NL', pl: 'PL', cs: 'CZ', sv: 'SE', fi: 'FI', da: 'DK',
  nb: 'NO', ar: 'SA', fa: 'IR', he: 'IL', hi: 'IN', ja: 'JP', ko: 'KR', zh: 'CN', id: 'ID', en: 'US',
};
/** Regions passed to the scanner; each costs one libphonenumber validation per phone-shaped candidate. */
export const MAX_REGION_HINTS = 3;

export function regionsFor(contentLanguage: string, browserLanguages: readonly string[]): string[] {
  const out: string[] = [];
  const add = (region: string | undefined) => {
    const upper = region?.toUpperCase();
    if (upper && RegionSchema.safeParse(upper).success && !out.includes(upper)) out.push(upper);
  };
  add(LANGUAGE_REGIONS[contentLanguage.toLowerCase().split(/[-_]/)[0] ?? '']);
  for (const tag of browserLanguages) {
    const [lang, region] = tag.split(/[-_]/);
    add(region && /^[A-Za-z]{2}$/.test(region) ? region : LANGUAGE_REGIONS[lang?.toLowerCase() ?? '']);
  }
  return out.slice(0, MAX_REGION_HINTS);
}
