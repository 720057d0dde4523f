import { useEffect, useId, useState } from 'preact/hooks';
import {
  createOwnIdentifiers, OWN_KINDS, OwnIdentifierError, type OwnKind, type StoredOwnIdentifiers,
} from '../utils/masking/own-identifiers';
import { useT } from './I18nContext';

export interface OwnIdentifiersSettingsProps {
  load: () => Promise<StoredOwnIdentifiers | null>;
  save: (own: StoredOwnIdentifiers) => Promise<void>;
  clear: () => Promise<void>;
  /** Default-country hints for phone numbers typed without "+". */
  regions: readonly string[];
}

/**
 * The user's own identifiers, for the masking helpers. What the user types is hashed here, on the extension page,
 * and only the salted hashes are sent to the background for storage; the typed value is cleared from the form.
 */
export function OwnIdentifiersSettings({ load, save, clear, regions }: OwnIdentifiersSettingsProps) {
  const t = useT();
  const id = useId();
  const [own, setOwn] = useState<StoredOwnIdentifiers | null>(null);
  const [kind, setKind] = useState<OwnKind>('name');
  const [value, setValue] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    load().then(setOwn, (error: unknown) => setStatus(t('kalkan-error-generic', messageOf(error))));
  }, [load, t]);

  const store = async (next: StoredOwnIdentifiers | null, done: string) => {
    if (next && next.entries.length > 0) await save(next);
    else await clear();
    setOwn(next && next.entries.length > 0 ? next : null);
    setStatus(done);
  };

  const onSubmit = (event: Event) => {
    event.preventDefault();
    if (busy || value.trim() === '') return;
    setBusy(true);
    createOwnIdentifiers([{ kind, value }], { regions, salt: own?.salt })
      .then((created) => store({ salt: created.salt, entries: [...(own?.entries ?? []), ...created.entries] }, t('kalkan-options-own-added')))
      .then(() => setValue(''))
      .catch((error: unknown) => setStatus(error instanceof OwnIdentifierError ? error.message : t('kalkan-error-generic', messageOf(error))))
      .finally(() => setBusy(false));
  };

  const onRemove = (index: number) => {
    if (!own) return;
    const next = { ...own, entries: own.entries.filter((_, i) => i !== index) };
    store(next, t('kalkan-options-own-removed')).catch((error: unknown) => setStatus(t('kalkan-error-generic', messageOf(error))));
  };

  const onClear = () => {
    store(null, t('kalkan-options-own-removed')).catch((error: unknown) => setStatus(t('kalkan-error-generic', messageOf(error))));
  };

  const entries = own?.entries ?? [];
  return (
    <section aria-labelledby={`${id}-heading`} data-testid="own-identifiers">
      <h2 id={`${id}-heading`}>{t('kalkan-options-own-heading')}</h2>
      <p>{t('kalkan-options-own-intro')}</p>
      <p><small>{t('kalkan-options-own-privacy')}</small></p>
      <form onSubmit={onSubmit}>
        <label for={`${id}-kind`}>{t('kalkan-options-own-kind')}</label>
        <select id={`${id}-kind`} value={kind} onChange={(event) => setKind((event.target as HTMLSelectElement).value as OwnKind)}>
          {OWN_KINDS.map((k) => <option key={k} value={k}>{t(`kalkan-options-own-kind-${k}`)}</option>)}
        </select>
        <label for={`${id}-value`}>{t('kalkan-options-own-value')}</label>
        <input id={`${id}-value`} type="text" autocomplete="off" spellcheck={false} value={value} aria-describedby={`${id}-hint`}
          onInput={(event) => setValue((event.target as HTMLInputElement).value)} />
        <button type="submit" disabled={busy}>{t('kalkan-options-own-add')}</button>
        <p id={`${id}-hint`}><small>{t('kalkan-options-own-phone-hint')}</small></p>
      </form>
      {entries.length === 0 ? (
        <p>{t('kalkan-options-own-empty')}</p>
      ) : (
        <>
          <p>{t('kalkan-options-own-count', entries.length)}</p>
          <ol>
            {entries.map((entry, index) => (
              <li key={entry.hash}>
                {t('kalkan-options-own-entry', t(`kalkan-options-own-kind-${entry.kind}`), entry.tokens)}{' '}
                <button type="button" aria-label={t('kalkan-options-own-remove', index + 1)} onClick={() => onRemove(index)}>×</button>
              </li>
            ))}
          </ol>
          <button type="button" onClick={onClear}>{t('kalkan-options-own-clear')}</button>
        </>
      )}
      <p role="status" aria-live="polite" data-testid="own-status">{status}</p>
    </section>
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
