import { useEffect, useState } from 'preact/hooks';
import { TargetingSettingSchema, type TargetingSetting } from '../../utils/targeting/schema';
import { useT } from '../I18nContext';

export interface TargetingSettingsProps {
  load(): Promise<TargetingSetting>;
  save(value: TargetingSetting): Promise<void>;
}

/** Retention of the interaction log and the on-page indicator's threshold (stored in the extension database). */
export function TargetingSettings({ load, save }: TargetingSettingsProps) {
  const t = useT();
  const [value, setValue] = useState<{ retentionDays: string; pageThreshold: string } | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    void load().then((v) => setValue({ retentionDays: String(v.retentionDays), pageThreshold: String(v.pageThreshold) }));
  }, []);
  if (!value) return null;

  async function submit(event: Event) {
    event.preventDefault();
    if (!value) return;
    const parsed = TargetingSettingSchema.safeParse({ retentionDays: Number(value.retentionDays), pageThreshold: Number(value.pageThreshold) });
    if (!parsed.success) {
      setStatus({ ok: false, text: t('kalkan-patrol-settings-invalid') });
      return;
    }
    await save(parsed.data);
    setStatus({ ok: true, text: t('kalkan-patrol-settings-saved') });
  }

  return (
    <section class="kalkan-patrol-settings" aria-labelledby="kalkan-patrol-settings-heading">
      <h2 id="kalkan-patrol-settings-heading">{t('kalkan-patrol-settings-heading')}</h2>
      <form class="kalkan-patrol-filters" onSubmit={(e) => void submit(e)}>
        <label>
          {t('kalkan-patrol-settings-retention')}
          <input type="number" min={1} max={3650} required value={value.retentionDays} data-testid="patrol-setting-retention"
            onInput={(e) => setValue({ ...value, retentionDays: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {t('kalkan-patrol-settings-threshold')}
          <input type="number" min={1} max={100} required value={value.pageThreshold} data-testid="patrol-setting-threshold"
            onInput={(e) => setValue({ ...value, pageThreshold: (e.target as HTMLInputElement).value })} />
        </label>
        <button type="submit" data-testid="patrol-settings-save">{t('kalkan-patrol-settings-save')}</button>
      </form>
      {status ? <p role={status.ok ? 'status' : 'alert'} class={status.ok ? '' : 'kalkan-patrol-warning'} data-testid="patrol-settings-status">{status.text}</p> : null}
    </section>
  );
}
