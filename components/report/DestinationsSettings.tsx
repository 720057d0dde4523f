import { useEffect, useId, useState } from 'preact/hooks';
import { DestinationSchema, isAllowedEndpointUrl, type Destination, type DestinationsSetting } from '../../utils/reports/destinations';
import { isAllowedWikiId } from '../../utils/reports/noticeboard-post';
import { useT } from '../I18nContext';

export interface DestinationsSettingsProps {
  load: () => Promise<DestinationsSetting>;
  save: (setting: DestinationsSetting) => Promise<void>;
  /**
   * Asks the browser for permission to reach an endpoint's host; must be the first thing the click does (the
   * browser wants a user gesture). Resolves false when the user refuses.
   */
  requestHostPermission: (origin: string) => Promise<boolean>;
}

type Kind = Destination['kind'];

export interface FormState {
  kind: Kind;
  label: string;
  /** "" = every wiki; else a wiki id such as https://en.wikipedia.org/w */
  scope: string;
  baseUrl: string;
  token: string;
  page: string;
  address: string;
}

export const EMPTY_FORM: FormState = { kind: 'endpoint', label: '', scope: '', baseUrl: '', token: '', page: '', address: '' };

/** Builds a destination from the form, or returns the message key saying what to fix. */
export function destinationFromForm(form: FormState, id: string): { ok: true; destination: Destination } | { ok: false; problem: string } {
  const label = form.label.trim();
  if (!label) return { ok: false, problem: 'kalkan-destinations-problem-label' };
  const candidate =
    form.kind === 'endpoint'
      ? { kind: 'endpoint', id, label, baseUrl: form.baseUrl.trim().replace(/\/+$/, ''), token: form.token.trim() || undefined, private: true }
      : form.kind === 'noticeboard'
        ? { kind: 'noticeboard', id, label, wikiId: form.scope.trim().replace(/\/+$/, ''), page: form.page.trim(), private: false, sectionTitleTemplate: '$1' }
        : { kind: 'email', id, label, address: form.address.trim() };
  if (form.kind === 'endpoint' && !isAllowedEndpointUrl(form.baseUrl.trim())) {
    return { ok: false, problem: 'kalkan-destinations-problem-url' };
  }
  if (form.kind === 'noticeboard' && !form.scope.trim()) return { ok: false, problem: 'kalkan-destinations-problem-noticeboard-wiki' };
  // Posting goes to {wiki}/api.php with the user's session: only https (or this computer), never a page URL.
  if (form.kind === 'noticeboard' && !isAllowedWikiId(form.scope.trim().replace(/\/+$/, ''))) {
    return { ok: false, problem: 'kalkan-destinations-problem-wiki-address' };
  }
  const parsed = DestinationSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, problem: `kalkan-destinations-problem-${form.kind}` };
  return { ok: true, destination: parsed.data };
}

/** Where reports go: private endpoints (with an optional token), public noticeboards and email, per wiki or global. */
export function DestinationsSettings({ load, save, requestHostPermission }: DestinationsSettingsProps) {
  const t = useT();
  const ids = useId();
  const [setting, setSetting] = useState<DestinationsSetting>({ global: [], perWiki: {} });
  const [form, setForm] = useState<FormState>(EMPTY_FORM);
  const [status, setStatus] = useState('');

  useEffect(() => {
    load().then(setSetting, (error: unknown) => setStatus(t('kalkan-error-generic', String(error))));
  }, [load, t]);

  const set = (field: keyof FormState) => (event: Event) =>
    setForm({ ...form, [field]: (event.target as HTMLInputElement | HTMLSelectElement).value });

  const onSubmit = (event: Event) => {
    event.preventDefault();
    const built = destinationFromForm(form, globalThis.crypto.randomUUID());
    if (!built.ok) {
      setStatus(t(built.problem));
      return;
    }
    const destination = built.destination;
    // The permission prompt must come straight from the click, before any other await.
    // A noticeboard needs its wiki's host too: the posting is a request from Kalkan to that wiki's api.php.
    const host = destination.kind === 'endpoint' ? destination.baseUrl : destination.kind === 'noticeboard' ? destination.wikiId : null;
    const permission = host ? requestHostPermission(new URL(host).origin) : Promise.resolve(true);
    permission
      .then(async (granted) => {
        if (!granted) {
          setStatus(t('kalkan-destinations-denied'));
          return;
        }
        const scope = form.scope.trim();
        const next: DestinationsSetting = scope
          ? { ...setting, perWiki: { ...setting.perWiki, [scope]: [...(setting.perWiki[scope] ?? []), destination] } }
          : { ...setting, global: [...setting.global, destination] };
        await save(next);
        setSetting(next);
        setForm(EMPTY_FORM);
        setStatus(t('kalkan-destinations-added', destination.label));
      })
      .catch((error: unknown) => setStatus(t('kalkan-error-generic', error instanceof Error ? error.message : String(error))));
  };

  const remove = (id: string) => {
    const next: DestinationsSetting = {
      global: setting.global.filter((destination) => destination.id !== id),
      perWiki: Object.fromEntries(Object.entries(setting.perWiki).map(([wiki, list]) => [wiki, list.filter((destination) => destination.id !== id)])),
    };
    save(next).then(
      () => {
        setSetting(next);
        setStatus(t('kalkan-destinations-removed'));
      },
      (error: unknown) => setStatus(t('kalkan-error-generic', String(error))),
    );
  };

  const all = [
    ...setting.global.map((destination) => ({ destination, scope: '' })),
    ...Object.entries(setting.perWiki).flatMap(([scope, list]) => list.map((destination) => ({ destination, scope }))),
  ];

  return (
    <section aria-labelledby={`${ids}-heading`} data-testid="destinations-settings">
      <h2 id={`${ids}-heading`}>{t('kalkan-destinations-heading')}</h2>
      <p>{t('kalkan-destinations-intro')}</p>
      {all.length === 0 ? (
        <p>{t('kalkan-destinations-empty')}</p>
      ) : (
        <ul>
          {all.map(({ destination, scope }) => (
            <li key={destination.id} data-testid="destination-row">
              <bdi>{destination.label}</bdi>{' — '}
              {t(destination.kind === 'noticeboard' ? 'kalkan-report-destination-public' : destination.kind === 'email' ? 'kalkan-report-destination-email' : 'kalkan-report-destination-private')}
              {' — '}{scope ? <bdi dir="ltr">{scope}</bdi> : t('kalkan-destinations-scope-global')}{' '}
              <button type="button" aria-label={t('kalkan-destinations-remove', destination.label)} onClick={() => remove(destination.id)}>×</button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={onSubmit} noValidate>
        <div class="kalkan-form-row">
          <label for={`${ids}-kind`}>{t('kalkan-destinations-kind')}</label>
          <select id={`${ids}-kind`} data-testid="destination-kind" value={form.kind} onChange={set('kind')}>
            <option value="endpoint">{t('kalkan-destinations-kind-endpoint')}</option>
            <option value="noticeboard">{t('kalkan-destinations-kind-noticeboard')}</option>
            <option value="email">{t('kalkan-destinations-kind-email')}</option>
          </select>
        </div>
        <div class="kalkan-form-row">
          <label for={`${ids}-label`}>{t('kalkan-destinations-label')}</label>
          <input id={`${ids}-label`} data-testid="destination-label" value={form.label} onInput={set('label')} />
        </div>
        <div class="kalkan-form-row">
          <label for={`${ids}-scope`}>{t(form.kind === 'noticeboard' ? 'kalkan-destinations-wiki' : 'kalkan-destinations-scope')}</label>
          <input id={`${ids}-scope`} dir="ltr" data-testid="destination-scope" value={form.scope} placeholder="https://en.wikipedia.org/w" onInput={set('scope')} />
        </div>
        {form.kind === 'endpoint' && (
          <>
            <div class="kalkan-form-row">
              <label for={`${ids}-url`}>{t('kalkan-destinations-url')}</label>
              <input id={`${ids}-url`} type="url" dir="ltr" data-testid="destination-url" value={form.baseUrl} placeholder="https://reports.example.org" onInput={set('baseUrl')} />
            </div>
            <div class="kalkan-form-row">
              <label for={`${ids}-token`}>{t('kalkan-destinations-token')}</label>
              <input id={`${ids}-token`} type="password" autocomplete="off" dir="ltr" data-testid="destination-token" value={form.token} onInput={set('token')} />
            </div>
          </>
        )}
        {form.kind === 'noticeboard' && (
          <p class="kalkan-tag-public" role="note" data-testid="destination-public-warning">{t('kalkan-destinations-public-warning')}</p>
        )}
        {form.kind === 'noticeboard' && (
          <div class="kalkan-form-row">
            <label for={`${ids}-page`}>{t('kalkan-destinations-page')}</label>
            <input id={`${ids}-page`} data-testid="destination-page" value={form.page} onInput={set('page')} />
          </div>
        )}
        {form.kind === 'email' && (
          <div class="kalkan-form-row">
            <label for={`${ids}-address`}>{t('kalkan-destinations-address')}</label>
            <input id={`${ids}-address`} type="email" dir="ltr" data-testid="destination-address" value={form.address} onInput={set('address')} />
          </div>
        )}
        <button type="submit" data-testid="destination-add">{t('kalkan-destinations-add')}</button>
      </form>
      <p role="status" aria-live="polite" data-testid="destinations-status">{status}</p>
    </section>
  );
}
