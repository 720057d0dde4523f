/**
 * Records real Action API answers from local MediaWiki 1.39 installs in several content languages and time
 * zones, for the wiki-profile unit tests (tests/fixtures/wiki-profile/). The messages are MediaWiki's own
 * (GPL-2.0-or-later); no wiki page text is recorded. Run: node --import tsx scripts/wiki/capture-profile-fixtures.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { apiParams, SiteinfoAnswerSchema, timezoneMessageKeys, TimestampSampleAnswerSchema } from '../../utils/wiki-profile/from-api';
import { startWiki } from './mediawiki';

const KINDS = [
  { name: 'mw139-en', lang: 'en', settings: '' },
  { name: 'mw139-ru-moscow', lang: 'ru', settings: '$wgLocaltimezone = "Europe/Moscow";' },
  { name: 'mw139-ar', lang: 'ar', settings: '' },
  { name: 'mw139-de-berlin', lang: 'de', settings: '$wgLocaltimezone = "Europe/Berlin";' },
  { name: 'mw139-fa', lang: 'fa', settings: '' },
];

const out = resolve('tests/fixtures/wiki-profile');
mkdirSync(out, { recursive: true });
let port = 8950;
for (const kind of KINDS) {
  port += 1;
  const wiki = await startWiki({ port, dir: join(tmpdir(), `kalkan-fixture-${kind.name}`), fresh: true, lang: kind.lang, extraSettings: kind.settings });
  try {
    const get = async (params: Record<string, string>) => (await fetch(`${wiki.apiUrl}?${new URLSearchParams(params)}`)).json() as Promise<unknown>;
    const siteinfo = await get(apiParams('siteinfo'));
    const lang = SiteinfoAnswerSchema.parse(siteinfo).query.general.lang;
    const timestamp = await get(apiParams('timestamp'));
    const messages = await get(apiParams('messages', lang));
    const keys = timezoneMessageKeys(TimestampSampleAnswerSchema.parse(timestamp).parse.text);
    const timezoneMessages = await get({ ...apiParams('messages', lang), ammessages: keys.join('|') });
    const page = await (await fetch(`${wiki.url.replace('localhost', '127.0.0.1')}/wiki/Main_Page`)).text();
    const head = page.slice(0, page.indexOf('</head>') + '</head>'.length);
    writeFileSync(join(out, `${kind.name}.json`), `${JSON.stringify({ siteinfo, messages, timestamp, timezoneMessages }, null, 1)}\n`);
    writeFileSync(join(out, `${kind.name}-head.html`), `${head}\n`);
    console.log(kind.name, TimestampSampleAnswerSchema.parse(timestamp).parse.text);
  } finally {
    await wiki.stop();
  }
}
