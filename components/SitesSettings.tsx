import { useEffect, useId, useState } from 'preact/hooks';
import type { Site } from '../utils/messaging/protocol';
import { useT } from './I18nContext';

export interface SitesSettingsProps {
  listSites: () => Promise<Site[]>;
  /** Must ask the browser for the host permission synchronously inside the user's click, then register. */
  addSite: (origin: string) => Promise<{ granted: boolean; sites: Site[] }>;
  removeSite: (origin: string) => Promise<Site[]>;
}

/** Parses what the user typed into an origin, or null when it is not an http(s) address. */
export function siteOrigin(input: string): string | null {
  try {
    const url = new URL(input.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return url.origin;
  } catch {
    // Not a URL at all: the caller shows the "invalid" message.
    return null;
  }
}

export function SitesSettings({ listSites, addSite, removeSite }: SitesSettingsProps) {
  const t = useT();
  const inputId = useId();
  const [sites, setSites] = useState<Site[]>([]);
  const [value, setValue] = useState('');
  const [status, setStatus] = useState('');

  useEffect(() => {
    listSites().then(setSites, (error: unknown) => setStatus(t('kalkan-error-generic', String(error))));
  }, [listSites, t]);

  const onSubmit = (event: Event) => {
    event.preventDefault();
    const origin = siteOrigin(value);
    if (!origin) {
      setStatus(t('kalkan-options-sites-invalid'));
      return;
    }
    addSite(origin).then(
      ({ granted, sites: next }) => {
        setSites(next);
        setStatus(t(granted ? 'kalkan-options-sites-added' : 'kalkan-options-sites-denied', origin));
        if (granted) setValue('');
      },
      (error: unknown) => setStatus(t('kalkan-error-generic', error instanceof Error ? error.message : String(error))),
    );
  };

  const onRemove = (origin: string) => {
    removeSite(origin).then(
      (next) => {
        setSites(next);
        setStatus(t('kalkan-options-sites-removed', origin));
      },
      (error: unknown) => setStatus(t('kalkan-error-generic', error instanceof Error ? error.message : String(error))),
    );
  };

  return (
    <section aria-labelledby={`${inputId}-heading`}>
      <h2 id={`${inputId}-heading`}>{t('kalkan-options-sites-heading')}</h2>
      <p>{t('kalkan-options-sites-intro')}</p>
      <form onSubmit={onSubmit}>
        <label for={inputId}>{t('kalkan-options-sites-label')}</label>
        <input id={inputId} type="url" dir="ltr" value={value} placeholder={t('kalkan-options-sites-placeholder')}
          onInput={(event) => setValue((event.target as HTMLInputElement).value)} />
        <button type="submit">{t('kalkan-options-sites-add')}</button>
      </form>
      {sites.length === 0 ? (
        <p>{t('kalkan-options-sites-empty')}</p>
      ) : (
        <ul>
          {sites.map((site) => (
            <li key={site.origin}>
              <bdi dir="ltr">{site.origin}</bdi>{' '}
              <button type="button" aria-label={t('kalkan-options-sites-remove', site.origin)} onClick={() => onRemove(site.origin)}>×</button>
            </li>
          ))}
        </ul>
      )}
      <p role="status" aria-live="polite">{status}</p>
    </section>
  );
}
