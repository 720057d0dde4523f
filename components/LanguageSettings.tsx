import { useEffect, useId, useState } from 'preact/hooks';
import type { LanguageSetting } from '../utils/i18n/resolve';
import { useT } from './I18nContext';

/** One language Kalkan ships, named in that language (so a reader finds their own language whatever is shown). */
export interface LanguageChoice {
  code: string;
  name: string;
}

export interface LanguageSettingsProps {
  languages: LanguageChoice[];
  load(): Promise<LanguageSetting>;
  save(setting: LanguageSetting): Promise<void>;
  /** Called after a save: the page switches its own language at once (the wiki pages at their next load). */
  onChanged(setting: LanguageSetting): void;
}

/** Value of the "Automatic" choice in the list (not a language code, so it can never collide with one). */
const AUTOMATIC = '';

export function LanguageSettings({ languages, load, save, onChanged }: LanguageSettingsProps) {
  const t = useT();
  const id = useId();
  const [setting, setSetting] = useState<LanguageSetting | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    load().then(setSetting, (error: unknown) => setStatus(t('kalkan-error-generic', error instanceof Error ? error.message : String(error))));
  }, [load, t]);

  const onChange = (event: Event) => {
    const value = (event.target as HTMLSelectElement).value;
    const next: LanguageSetting = { override: value === AUTOMATIC ? null : value };
    save(next).then(
      () => {
        setSetting(next);
        onChanged(next);
        setStatus(t('kalkan-options-language-saved'));
      },
      (error: unknown) => setStatus(t('kalkan-error-generic', error instanceof Error ? error.message : String(error))),
    );
  };

  return (
    <section aria-labelledby={`${id}-heading`} data-testid="language-settings">
      <h2 id={`${id}-heading`}>{t('kalkan-options-language-heading')}</h2>
      <p id={`${id}-intro`}>{t('kalkan-options-language-intro')}</p>
      <label for={id}>{t('kalkan-options-language-label')}</label>
      <select id={id} aria-describedby={`${id}-intro`} disabled={!setting} value={setting?.override ?? AUTOMATIC} onChange={onChange}>
        <option value={AUTOMATIC}>{t('kalkan-options-language-automatic')}</option>
        {languages.map((language) => (
          <option key={language.code} value={language.code} lang={language.code}>{language.name}</option>
        ))}
      </select>
      <p role="status" aria-live="polite">{status}</p>
    </section>
  );
}
