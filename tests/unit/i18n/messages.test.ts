import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTranslator, messageBundles } from '../../../utils/i18n';

const root = new URL('../../../utils/i18n/messages/', import.meta.url).pathname;

function read(domain: string, lang: string): Record<string, string> {
  const { '@metadata': _m, ...rest } = JSON.parse(readFileSync(join(root, domain, `${lang}.json`), 'utf8')) as Record<string, string>;
  return rest;
}

describe('message files', () => {
  const domains = readdirSync(root);
  it.each(domains)('%s: every English key is documented in qqq.json, and nothing else is', (domain) => {
    expect(Object.keys(read(domain, 'qqq')).sort()).toEqual(Object.keys(read(domain, 'en')).sort());
  });
  it.each(domains)('%s: keys are prefixed kalkan-', (domain) => {
    for (const key of Object.keys(read(domain, 'en'))) expect(key).toMatch(/^kalkan-[a-z0-9-]+$/);
  });
  it('no key is defined by two domains', () => {
    const seen = new Map<string, string>();
    for (const domain of domains) {
      for (const key of Object.keys(read(domain, 'en'))) {
        expect(seen.get(key), `${key} in ${domain} and ${seen.get(key)}`).toBeUndefined();
        seen.set(key, domain);
      }
    }
  });
  it('merges all domains into one English bundle and formats plurals', () => {
    expect(Object.keys(messageBundles().en ?? {}).length).toBeGreaterThan(5);
    const t = createTranslator('en');
    expect(t('kalkan-popup-comments', 1, 2)).toBe('1 signed comment in 2 threads');
  });
});
