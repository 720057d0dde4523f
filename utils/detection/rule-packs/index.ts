import { RulePackSchema, type RulePack } from '../rule-pack.ts';
import ar from './ar.json';
import de from './de.json';
import en from './en.json';
import es from './es.json';
import fa from './fa.json';
import fr from './fr.json';
import it from './it.json';
import ky from './ky.json';
import pl from './pl.json';
import ru from './ru.json';
import tr from './tr.json';
import uk from './uk.json';

/**
 * The rule packs shipped with the extension, parsed once with the same schema user packs go through, so a bad
 * edit to a shipped pack fails the tests instead of silently matching nothing.
 */
const RAW: Record<string, unknown> = { ar, de, en, es, fa, fr, it, ky, pl, ru, tr, uk };

export const BUILTIN_LANGUAGES = Object.keys(RAW).sort();

let parsed: Map<string, RulePack> | null = null;

export function builtinPacks(): Map<string, RulePack> {
  if (parsed) return parsed;
  parsed = new Map();
  for (const [lang, raw] of Object.entries(RAW)) {
    const result = RulePackSchema.safeParse(raw);
    if (!result.success) {
      throw new Error(`Built-in rule pack "${lang}" is invalid (${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); fix utils/detection/rule-packs/${lang}.json and run the detection tests.`);
    }
    parsed.set(lang, result.data);
  }
  return parsed;
}
