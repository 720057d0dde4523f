import { useEffect, useId, useState } from 'preact/hooks';
import type { HighlightState } from '../utils/highlight/messages';
import {
  HIGHLIGHT_CATEGORIES, SENSITIVITY_THRESHOLDS, sensitivityOf, settingsForWiki, type HighlightSettings, type Sensitivity,
} from '../utils/highlight/settings';
import { categoryKey } from './HighlightLayer';
import { useT } from './I18nContext';

/** The options page's highlighting section: per-wiki settings and rule-pack import/export. */
export interface HighlightSettingsProps {
  load(): Promise<HighlightState>;
  save(wikiId: string | null, settings: HighlightSettings | null): Promise<HighlightState>;
  importPack(json: string): Promise<{ errors: string[]; state: HighlightState }>;
  exportPack(source: 'builtin' | 'user', lang: string, name?: string): Promise<string>;
  removePack(lang: string, name: string): Promise<HighlightState>;
  /** Offers text as a file download (extension page only). */
  download(filename: string, text: string): void;
}

const SENSITIVITIES: Sensitivity[] = ['high', 'medium', 'low'];

export function HighlightSettingsSection(props: HighlightSettingsProps) {
  const t = useT();
  const id = useId();
  const [state, setState] = useState<HighlightState | null>(null);
  const [scope, setScope] = useState<string>('');
  const [status, setStatus] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [builtin, setBuiltin] = useState('en');
  const fail = (error: unknown) => setStatus(t('kalkan-error-generic', error instanceof Error ? error.message : String(error)));

  const { load } = props;
  useEffect(() => {
    load().then(setState, (error: unknown) => setStatus(t('kalkan-error-generic', error instanceof Error ? error.message : String(error))));
  }, [load, t]);

  if (!state) return <section aria-busy="true"><h2>{t('kalkan-highlight-options-heading')}</h2></section>;
  const wikiId = scope === '' ? null : scope;
  const override = wikiId !== null && state.settings.wikis[wikiId] !== undefined;
  const current = wikiId === null ? state.settings.defaults : settingsForWiki(state.settings, wikiId);
  const editable = wikiId === null || override;

  const apply = (next: HighlightSettings | null, target: string | null = wikiId) => {
    props.save(target, next).then((s) => {
      setState(s);
      setStatus(t('kalkan-highlight-options-saved'));
    }, fail);
  };
  const change = (patch: Partial<HighlightSettings>) => apply({ ...current, ...patch });

  const onImport = (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    file.text().then((json) => props.importPack(json)).then(({ errors: problems, state: next }) => {
      setState(next);
      setErrors(problems);
      if (!problems.length) setStatus(t('kalkan-highlight-options-packs-imported', file.name));
      else setStatus('');
      input.value = '';
    }, fail);
  };
  const onExport = (source: 'builtin' | 'user', lang: string, name?: string) => {
    props.exportPack(source, lang, name).then((json) => props.download(`kalkan-rules-${lang}${name ? `-${name.replace(/[^\w-]+/g, '_')}` : ''}.json`, json), fail);
  };

  return (
    <section aria-labelledby={`${id}-h`} data-testid="highlight-settings">
      <h2 id={`${id}-h`}>{t('kalkan-highlight-options-heading')}</h2>
      <p>{t('kalkan-highlight-options-intro')}</p>
      <p>
        <label for={`${id}-scope`}>{t('kalkan-highlight-options-scope')}</label>
        <select id={`${id}-scope`} value={scope} onChange={(e) => setScope((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{t('kalkan-highlight-options-scope-default')}</option>
          {[...new Set([...state.wikis, ...Object.keys(state.settings.wikis)])].sort().map((w) => <option key={w} value={w} dir="ltr">{w}</option>)}
        </select>
      </p>
      {wikiId !== null && (
        <p>
          <input id={`${id}-override`} type="checkbox" checked={override}
            onChange={(e) => apply((e.currentTarget as HTMLInputElement).checked ? { ...state.settings.defaults } : null)} />
          <label for={`${id}-override`}>{t('kalkan-highlight-options-override')}</label>
        </p>
      )}
      <fieldset disabled={!editable}>
        <p>
          <input id={`${id}-enabled`} type="checkbox" checked={current.enabled} data-testid="highlight-enabled"
            onChange={(e) => change({ enabled: (e.currentTarget as HTMLInputElement).checked })} />
          <label for={`${id}-enabled`}>{t('kalkan-highlight-options-enabled')}</label>
        </p>
        <p>
          <label for={`${id}-sens`}>{t('kalkan-highlight-options-sensitivity')}</label>
          <select id={`${id}-sens`} value={sensitivityOf(current.threshold)}
            onChange={(e) => change({ threshold: SENSITIVITY_THRESHOLDS[(e.currentTarget as HTMLSelectElement).value as Sensitivity] })}>
            {SENSITIVITIES.map((s) => <option key={s} value={s}>{t(`kalkan-highlight-options-sensitivity-${s}`)}</option>)}
          </select>
        </p>
        <fieldset>
          <legend>{t('kalkan-highlight-options-categories')}</legend>
          {HIGHLIGHT_CATEGORIES.map((category) => (
            <span key={category} class="kalkan-hl-option">
              <input id={`${id}-cat-${category}`} type="checkbox" checked={current.categories.includes(category)}
                onChange={(e) => change({
                  categories: (e.currentTarget as HTMLInputElement).checked
                    ? [...current.categories, category]
                    : current.categories.filter((c) => c !== category),
                })} />
              <label for={`${id}-cat-${category}`}>{t(categoryKey(category))}</label>{' '}
            </span>
          ))}
        </fieldset>
        <p>
          <input id={`${id}-blur`} type="checkbox" checked={current.blur} data-testid="highlight-blur"
            onChange={(e) => change({ blur: (e.currentTarget as HTMLInputElement).checked })} />
          <label for={`${id}-blur`}>{t('kalkan-highlight-options-blur')}</label>
        </p>
      </fieldset>

      <h3>{t('kalkan-highlight-options-packs-heading')}</h3>
      <p>{t('kalkan-highlight-options-packs-intro')}</p>
      <p>
        <label for={`${id}-builtin`}>{t('kalkan-highlight-options-packs-builtin')}</label>
        <select id={`${id}-builtin`} value={builtin} onChange={(e) => setBuiltin((e.currentTarget as HTMLSelectElement).value)}>
          {state.builtinLanguages.map((lang) => <option key={lang} value={lang}>{lang}</option>)}
        </select>
        <button type="button" onClick={() => onExport('builtin', builtin)}>{t('kalkan-highlight-options-packs-export')}</button>
      </p>
      <p>
        <label for={`${id}-import`}>{t('kalkan-highlight-options-packs-import')}</label>
        <input id={`${id}-import`} type="file" accept=".json,application/json" onChange={onImport} data-testid="highlight-import" />
      </p>
      {errors.length > 0 && (
        <div role="alert">
          <p>{t('kalkan-highlight-options-packs-invalid')}</p>
          <ul>{errors.map((error, i) => <li key={i}><bdi>{error}</bdi></li>)}</ul>
        </div>
      )}
      <h4>{t('kalkan-highlight-options-packs-mine')}</h4>
      {state.packs.length === 0 ? <p>{t('kalkan-highlight-options-packs-none')}</p> : (
        <ul>
          {state.packs.map((pack) => (
            <li key={`${pack.lang}/${pack.name}`}>
              <bdi>{t('kalkan-highlight-options-packs-entry', pack.name, pack.lang, pack.rules)}</bdi>{' '}
              <button type="button" onClick={() => onExport('user', pack.lang, pack.name)}>{t('kalkan-highlight-options-packs-export')}</button>{' '}
              <button type="button" aria-label={t('kalkan-highlight-options-packs-remove', pack.name)}
                onClick={() => props.removePack(pack.lang, pack.name).then((s) => {
                  setState(s);
                  setStatus(t('kalkan-highlight-options-packs-removed', pack.name));
                }, fail)}>×</button>
            </li>
          ))}
        </ul>
      )}
      <p role="status" aria-live="polite" data-testid="highlight-status">{status}</p>
    </section>
  );
}
