import { useId } from 'preact/hooks';
import { EMERGENCY_TYPES, HARM_CATEGORIES, type Harm } from '../../utils/reports/schema';
import { useT } from '../I18nContext';

export interface HarmPickerProps {
  value: Harm | null;
  onChange: (harm: Harm) => void;
  invalid: boolean;
}

function same(a: Harm | null, b: Harm): boolean {
  if (!a || a.kind !== b.kind) return false;
  return a.kind === 'incident' && b.kind === 'incident' ? a.category === b.category : a.kind === 'emergency' && b.kind === 'emergency' && a.type === b.type;
}

/**
 * One radio group for the kind of harm: Wikimedia's incident categories, then the emergencies (which change what
 * the form shows first). Native radios: arrow keys move within the group, as screen-reader users expect.
 */
export function HarmPicker({ value, onChange, invalid }: HarmPickerProps) {
  const t = useT();
  const name = useId();
  const options: Array<{ harm: Harm; key: string }> = [
    ...HARM_CATEGORIES.map((category) => ({ harm: { kind: 'incident', category } as Harm, key: `kalkan-report-harm-${category.replace(/_/g, '-')}` })),
    ...EMERGENCY_TYPES.map((type) => ({ harm: { kind: 'emergency', type } as Harm, key: `kalkan-report-emergency-${type.replace(/_/g, '-')}` })),
  ];
  const renderOption = ({ harm, key }: { harm: Harm; key: string }) => (
    <label key={key} class="kalkan-choice">
      <input type="radio" name={name} checked={same(value, harm)} data-harm={harm.kind === 'incident' ? harm.category : harm.type}
        onChange={() => onChange(harm)} />
      {t(key)}
    </label>
  );
  return (
    <fieldset aria-invalid={invalid} data-testid="harm-picker">
      <legend>{t('kalkan-report-harm-legend')}</legend>
      {options.filter((option) => option.harm.kind === 'incident').map(renderOption)}
      <p class="kalkan-help">{t('kalkan-report-emergency-legend')}</p>
      {options.filter((option) => option.harm.kind === 'emergency').map(renderOption)}
    </fieldset>
  );
}
