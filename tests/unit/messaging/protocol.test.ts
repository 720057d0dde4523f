import { describe, expect, it, vi } from 'vitest';
import { MessageError, request } from '../../../utils/messaging/client';
import { CONTENT_SCRIPT_ALLOWED_TYPES, type AnyRequest } from '../../../utils/messaging/protocol';
import { RequestError, routeMessage, type Handlers } from '../../../utils/messaging/router';
import { classifySender, type SenderInfo } from '../../../utils/messaging/sender';

const EXT_ID = 'abcdefghijklmnopabcdefghijklmnop';
const EXT_ORIGIN = `chrome-extension://${EXT_ID}`;

const senders = {
  optionsPage: { id: EXT_ID, url: `${EXT_ORIGIN}/options.html`, origin: EXT_ORIGIN },
  popupInFirefox: { id: EXT_ID, url: `moz-extension://uuid/popup.html` },
  contentScript: { id: EXT_ID, url: 'https://en.wikipedia.org/wiki/Talk:X', origin: 'https://en.wikipedia.org', tab: { id: 3 } },
  otherExtension: { id: 'zzzz', url: 'chrome-extension://zzzz/x.html', origin: 'chrome-extension://zzzz' },
  noId: { url: 'https://en.wikipedia.org/wiki/Talk:X', tab: { id: 3 } },
  extensionUrlClaimedByTab: { id: EXT_ID, url: `${EXT_ORIGIN}.evil.example/x`, origin: 'https://evil.example', tab: { id: 4 } },
} satisfies Record<string, SenderInfo>;

describe('classifySender', () => {
  it.each([
    ['optionsPage', EXT_ORIGIN, 'extension-page'],
    ['popupInFirefox', 'moz-extension://uuid', 'extension-page'],
    ['contentScript', EXT_ORIGIN, 'content-script'],
    ['otherExtension', EXT_ORIGIN, 'foreign'],
    ['noId', EXT_ORIGIN, 'foreign'],
    ['extensionUrlClaimedByTab', EXT_ORIGIN, 'content-script'],
  ] as const)('%s → %s', (name, origin, zone) => {
    expect(classifySender(senders[name], EXT_ID, origin)).toBe(zone);
  });
});

const profile = JSON.parse(
  JSON.stringify({
    schemaVersion: 1, wikiId: 'https://en.wikipedia.org/w', server: 'https://en.wikipedia.org', articlePath: '/wiki/$1', scriptPath: '/w',
    contentLanguage: 'en', dir: 'ltr', namespaceIds: { user: 2 }, formattedNamespaces: { '2': 'User' }, specialContributionsNames: ['Contributions'],
    localTimezone: 'UTC', dateLocales: [{ code: 'en', dateFormat: 'H:i, j F Y', digits: null, messages: {}, timezoneAbbreviations: { UTC: 'UTC' } }], fetchedAt: 0,
  }),
) as unknown;

function makeHandlers(): Handlers<{ sender: SenderInfo }> {
  const unused = vi.fn(async (): Promise<never> => { throw new RequestError('internal', 'not used in this test'); });
  return {
    'page/hello': vi.fn(async () => ({ profile: profile as never })),
    'page/summary': vi.fn(async () => ({ recorded: true as const })),
    'sites/list': vi.fn(async () => ({ sites: [] })),
    'sites/add': vi.fn(async () => ({ sites: [{ origin: 'https://wiki.example.org', addedAt: 1 }] })),
    'sites/remove': vi.fn(async () => ({ sites: [] })),
    'tab/summary': vi.fn(async () => ({ summary: null })),
    'profile/forget': vi.fn(async () => { throw new RequestError('not-permitted', 'no'); }),
    // Highlighting's handlers are tested in tests/unit/highlight; here they only complete the map.
    'highlight/config': unused, 'highlight/score': unused, 'highlight/flagged': unused,
    'highlight/settings/get': unused, 'highlight/settings/set': unused, 'highlight/packs/import': unused,
    'highlight/packs/export': unused, 'highlight/packs/remove': unused, 'highlight/tab-flagged': unused,
    // Masking's handlers are tested in tests/unit/masking; here they only complete the map.
    'masking/own-hashes': unused, 'masking/own-get': unused, 'masking/own-set': unused, 'masking/own-clear': unused,
    // Targeting's handlers are tested in tests/unit/targeting and tests/e2e/targeting.e2e.ts.
    'targeting/record': unused, 'targeting/open-pair': unused,
    // Reporting's handlers are tested in tests/unit/reporting and tests/e2e/reporting.e2e.ts.
    'report/add-evidence': unused, 'report/send-now': unused, 'report/noticeboard-check': unused,
    // The interface-language request is tested in tests/unit/i18n and tests/e2e/inclusion-i18n.e2e.ts.
    'i18n/language': unused,
  };
}

const hello: AnyRequest = {
  type: 'page/hello',
  location: { origin: 'https://en.wikipedia.org', scriptPath: '/w' },
  page: { title: 'Talk:X', namespace: 1, pageId: 1, revisionId: 2, action: 'view', userLanguage: 'en', viewer: { kind: 'anonymous' } },
};

describe('routeMessage', () => {
  const route = (raw: unknown, sender: SenderInfo, handlers = makeHandlers()) =>
    routeMessage(raw, sender, { extensionId: EXT_ID, extensionOrigin: EXT_ORIGIN, handlers, makeContext: (s) => ({ sender: s }) });

  it('accepts a valid content-script request and calls its handler', async () => {
    const handlers = makeHandlers();
    const answer = await route(hello, senders.contentScript, handlers);
    expect(answer.ok).toBe(true);
    expect(handlers['page/hello']).toHaveBeenCalledTimes(1);
  });

  it.each(['sites/add', 'sites/remove', 'sites/list', 'tab/summary', 'profile/forget'])('refuses privileged "%s" from a content script', async (type) => {
    const handlers = makeHandlers();
    const answer = await route({ type, origin: 'https://evil.example', tabId: 1, wikiId: 'x' }, senders.contentScript, handlers);
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(Object.values(handlers).every((h) => (h as ReturnType<typeof vi.fn>).mock.calls.length === 0)).toBe(true);
  });

  it('lets an extension page send a privileged request', async () => {
    const answer = await route({ type: 'sites/add', origin: 'https://wiki.example.org' }, senders.optionsPage);
    expect(answer).toMatchObject({ ok: true, data: { sites: [{ origin: 'https://wiki.example.org' }] } });
  });

  it.each([
    ['unknown type', { type: 'nope' }],
    ['missing fields', { type: 'page/hello' }],
    ['wrong field type', { ...hello, page: { ...(hello as { page: object }).page, namespace: 'one' } }],
    ['not an object', 'page/hello'],
    ['null', null],
    ['origin with a path', { type: 'sites/add', origin: 'https://wiki.example.org/wiki' }],
    ['prototype pollution key', JSON.parse('{"type":"sites/add","origin":"https://a.example","__proto__":{"x":1}}')],
  ])('rejects %s with invalid-message', async (_label, raw) => {
    const answer = await route(raw, senders.optionsPage);
    if (_label === 'prototype pollution key') {
      // Extra keys are stripped by the schema; the polluted prototype never reaches a handler.
      expect(answer.ok).toBe(true);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
      return;
    }
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
  });

  it('refuses any message from another extension or an unknown sender', async () => {
    expect(await route(hello, senders.otherExtension)).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(await route(hello, senders.noId)).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
  });

  it('turns a handler error into an error answer, never a throw', async () => {
    const answer = await route({ type: 'profile/forget', wikiId: 'x' }, senders.optionsPage);
    expect(answer).toMatchObject({ ok: false, error: { code: 'not-permitted', message: 'no' } });
  });

  it('content scripts may send exactly the unprivileged types', () => {
    expect([...CONTENT_SCRIPT_ALLOWED_TYPES].sort()).toEqual([
      'highlight/config', 'highlight/flagged', 'highlight/score', 'i18n/language', 'masking/own-hashes', 'page/hello', 'page/summary',
      'report/add-evidence', 'targeting/open-pair', 'targeting/record',
    ]);
  });
});

describe('request (client side) validates answers too', () => {
  it('returns the data of a valid answer', async () => {
    const data = await request(async () => ({ ok: true, data: { sites: [] } }), { type: 'sites/list' });
    expect(data).toEqual({ sites: [] });
  });
  it.each([
    ['wrong shape', { ok: true, data: { sites: 'x' } }],
    ['nothing', undefined],
  ])('throws on %s', async (_label, answer) => {
    await expect(request(async () => answer, { type: 'sites/list' })).rejects.toThrow(MessageError);
  });
  it('throws the error of an error answer', async () => {
    await expect(request(async () => ({ ok: false, error: { code: 'forbidden-sender', message: 'no' } }), { type: 'sites/list' })).rejects.toMatchObject({ code: 'forbidden-sender' });
  });
});
