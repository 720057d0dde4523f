import { render } from 'preact';
import browser from 'webextension-polyfill';
import '../../components/base.css';
import { I18nContext } from '../../components/I18nContext';
import { SitesSettings } from '../../components/SitesSettings';
import { OwnIdentifiersSettings } from '../../components/OwnIdentifiersSettings';
import { ownIdentifiersProps } from './masking-props';
import { HighlightSettingsSection } from '../../components/HighlightSettings';
import { highlightSettingsProps } from './highlight-props';
import { DestinationsSettings } from '../../components/report/DestinationsSettings';
import '../../components/report/report.css';
import { KalkanDb } from '../../utils/storage/db';
import { openStorageOrExplain } from '../../components/StorageGate';
import { getSetting, saveSetting } from '../../utils/storage/repository';
import { setupPageLanguage } from '../../utils/i18n/dom';
import { shippedLanguages } from '../../utils/i18n';
import { languageChoices } from '../../utils/i18n/names';
import { extensionPageLanguage } from '../../utils/i18n/page-language';
import { LanguageSettings } from '../../components/LanguageSettings';
import { request } from '../../utils/messaging/client';

const send = (message: unknown) => browser.runtime.sendMessage(message);


async function addSite(origin: string) {
  // permissions.request must be the first thing the click does (user-gesture requirement).
  const granted = await browser.permissions.request({ origins: [`${origin}/*`] });
  if (!granted) return { granted, sites: (await request(send, { type: 'sites/list' })).sites };
  return { granted, sites: (await request(send, { type: 'sites/add', origin })).sites };
}

const db = new KalkanDb();
const languages = languageChoices(shippedLanguages());
const loadLanguage = () => getSetting(db, 'language');

function Options({ t }: { t: (key: string) => string }) {
  return (
    <main>
      <h1>{t('kalkan-options-title')}</h1>
      <LanguageSettings languages={languages} load={loadLanguage} save={(setting) => saveSetting(db, 'language', setting)}
        onChanged={() => void start()} />
      <SitesSettings
        listSites={async () => (await request(send, { type: 'sites/list' })).sites}
        addSite={addSite}
        removeSite={async (origin) => (await request(send, { type: 'sites/remove', origin })).sites}
      />
      <DestinationsSettings
        load={() => getSetting(db, 'destinations')}
        save={(setting) => saveSetting(db, 'destinations', setting)}
        requestHostPermission={(origin) => browser.permissions.request({ origins: [`${origin}/*`] })}
      />
      <p><a href={browser.runtime.getURL('/reports.html')} target="_blank" rel="noopener">{t('kalkan-reports-title')}</a></p>
      <HighlightSettingsSection {...highlightSettingsProps(send)} />
      <OwnIdentifiersSettings {...ownIdentifiersProps(send)} />
    </main>
  );
}

/** Renders the page in its resolved language; called again when the user changes the interface language. */
async function start() {
  if (!(await openStorageOrExplain(db, document.getElementById('app'), browser.i18n.getUILanguage()))) return;
  const t = setupPageLanguage(document, await extensionPageLanguage(browser, db, null));
  document.title = t('kalkan-options-title');
  const app = document.getElementById('app');
  if (app) render(<I18nContext.Provider value={t}><Options t={t} /></I18nContext.Provider>, app);
}

start().catch((error: unknown) => console.error('[kalkan] the settings page could not start:', error));
