import { describe, expect, it } from 'vitest';
import { createI18nHandlers } from '../../../entrypoints/background/i18n';
import { WIKI_LANGUAGE_KEY_PREFIX } from '../../../utils/i18n/requests';
import { RequestError } from '../../../utils/messaging/router';
import type { SenderInfo } from '../../../utils/messaging/sender';

function setup(override: string | null) {
  const session: Record<string, unknown> = {};
  const handlers = createI18nHandlers({ session: { set: async (items) => void Object.assign(session, items) }, loadOverride: async () => override });
  return { handlers, session };
}
const fromTab = (url: string) => ({ sender: { id: 'ext', url, tab: { id: 3 } } as SenderInfo });
const WIKI = 'https://ar.wikipedia.org/w';

describe('i18n/language', () => {
  it('answers the override and records the wiki\'s user language for its extension pages', async () => {
    const { handlers, session } = setup('ky');
    const answer = await handlers['i18n/language']({ type: 'i18n/language', wikiId: WIKI, userLanguage: 'ar' }, fromTab('https://ar.wikipedia.org/wiki/X'));
    expect(answer).toEqual({ override: 'ky' });
    expect(session).toEqual({ [`${WIKI_LANGUAGE_KEY_PREFIX}${WIKI}`]: 'ar' });
  });
  it('records nothing when the page had no usable language', async () => {
    const { handlers, session } = setup(null);
    expect(await handlers['i18n/language']({ type: 'i18n/language', wikiId: WIKI, userLanguage: null }, fromTab('https://ar.wikipedia.org/wiki/X'))).toEqual({ override: null });
    expect(session).toEqual({});
  });
  it.each(['https://evil.example/wiki/X', 'not a url'])('refuses a tab on another site (%s) speaking for the wiki', async (url) => {
    const { handlers, session } = setup(null);
    await expect(handlers['i18n/language']({ type: 'i18n/language', wikiId: WIKI, userLanguage: 'en' }, fromTab(url))).rejects.toBeInstanceOf(RequestError);
    expect(session).toEqual({});
  });
});
