/**
 * Evaluates the detector honestly: every figure is out-of-fold by nested cross-validation. Outer k folds (grouped,
 * so a comment, its rewrites and its identity-swapped twin share a fold); inside each outer training set, k − 1
 * inner folds give the out-of-fold scores on which that fold's rule gains and decision thresholds are chosen; the
 * held-out fold is then scored by the detector as it ships (int8 weights, rules, that calibration).
 *   node --import tsx scripts/eval-detector.ts [--folds 5] [--seed N]
 * Takes k·k trainings (about 1–2 minutes on a shared 2-core machine).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_FLAG_THRESHOLD } from '../utils/detection/detector.ts';
import { DEFAULT_TRAIN_OPTIONS, rocAuc } from '../utils/detection/training.ts';
import { DEFAULT_FOLDS, MODEL_LANGUAGES, featurizeAll, loadDatasets, nestedCrossValidate } from './train-detector.ts';

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: {
      folds: { type: 'string', default: String(DEFAULT_FOLDS) },
      seed: { type: 'string', default: String(DEFAULT_TRAIN_OPTIONS.seed) },
    } }));
  } catch (error) {
    process.stderr.write(`eval-detector: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const folds = Number(values.folds);
  const seed = Number(values.seed);
  if (!Number.isInteger(folds) || folds < 3 || !Number.isInteger(seed)) {
    process.stderr.write('eval-detector: --folds must be an integer ≥ 3 (nested: k − 1 inner folds) and --seed an integer\n');
    return 2;
  }
  const data = loadDatasets();
  const options = { ...DEFAULT_TRAIN_OPTIONS, seed };
  const oof = nestedCrossValidate(data, featurizeAll(data.train), folds, options);
  const out = (s: string): void => { process.stdout.write(`${s}\n`); };
  out(`Nested out-of-fold evaluation (${folds} outer × ${folds - 1} inner grouped folds, seed ${seed}); flagged = score ≥ ` +
    `${DEFAULT_FLAG_THRESHOLD} after the language's own threshold (chosen inside each outer training set) is moved to ${DEFAULT_FLAG_THRESHOLD}`);
  for (const lang of MODEL_LANGUAGES) {
    const chosen = oof.calibrations.map((c) => c[lang]!);
    out(`  ${lang}: rule gain per outer fold ${chosen.map((c) => c.gain).join(', ')}; threshold ${chosen.map((c) => c.threshold.toFixed(2)).join(', ')}`);
  }
  out('');
  out('set                      rows  toxic  ROC-AUC  AUC(rules)  AUC(model)  precision  recall  FPR');
  const sets: Array<[string, (src: string) => boolean]> = [
    ['en Wikipedia talk', (s) => s === 'wikipedia-talk'],
    ['en Jigsaw 2018 sample', (s) => s === 'jigsaw2018'],
    ['es Jigsaw 2020', (s) => s === 'jigsaw2020-es'],
    ['it Jigsaw 2020', (s) => s === 'jigsaw2020-it'],
    ['tr Jigsaw 2020', (s) => s === 'jigsaw2020-tr'],
    ['ru detox pairs', (s) => s.startsWith('russe-')],
    ['ru news (non-toxic)', (s) => s === 'ru-news'],
  ];
  for (const [name, keep] of sets) {
    const idx = data.train.map((e, i) => (keep(e.source) ? i : -1)).filter((i) => i >= 0);
    const labels = idx.map((i) => data.train[i]!.label);
    let tp = 0; let fp = 0; let pos = 0;
    for (const i of idx) {
      const y = data.train[i]!.label;
      pos += y;
      if (oof.flagged[i]) { if (y === 1) tp++; else fp++; }
    }
    const fmt = (x: number): string => (Number.isNaN(x) ? '  —  ' : x.toFixed(3));
    const auc = rocAuc(idx.map((i) => oof.combined[i]!), labels);
    const aucR = rocAuc(idx.map((i) => oof.rules[i]!), labels);
    const aucM = rocAuc(idx.map((i) => oof.model[i]!), labels);
    out(`${name.padEnd(24)} ${String(idx.length).padStart(5)} ${String(pos).padStart(6)}  ${fmt(auc)}    ${fmt(aucR)}       ${fmt(aucM)}       ` +
      `${pos > 0 ? (tp / Math.max(1, tp + fp)).toFixed(3) : '  —  '}      ${pos > 0 ? (tp / pos).toFixed(3) : '  —  '}   ${(fp / Math.max(1, idx.length - pos)).toFixed(3)}`);
  }
  out('');
  const enRows = data.train.map((e, i) => (e.lang === 'en' ? i : -1)).filter((i) => i >= 0);
  out(`en (Wikipedia talk + Jigsaw 2018 rows) ROC-AUC ${rocAuc(enRows.map((i) => oof.combined[i]!), enRows.map((i) => data.train[i]!.label)).toFixed(3)}`);
  const ruTox = data.train.map((e, i) => (e.source === 'russe-toxic' ? i : -1)).filter((i) => i >= 0);
  const ruNeu = data.train.map((e, i) => (e.source === 'russe-neutral' ? i : -1)).filter((i) => i >= 0);
  out(`Russian minimal pairs: toxic flagged ${pct(ruTox.filter((i) => oof.flagged[i]).length / ruTox.length)} of ${ruTox.length}` +
    ` (target ≥ 85%); neutral rewrites flagged ${pct(ruNeu.filter((i) => oof.flagged[i]).length / ruNeu.length)} of ${ruNeu.length} (target ≤ 10%)`);
  // Identity bias: each English comment against its twin with identity words swapped.
  let pairs = 0; let flips = 0; let nonToxic = 0; let nonToxicFlips = 0; let gap = 0; let maxGap = 0;
  data.train.forEach((e, i) => {
    const twin = oof.twinCombined.get(e.group);
    if (!twin || e.source !== 'wikipedia-talk') return;
    pairs++;
    const g = Math.abs(twin.score - oof.combined[i]!);
    gap += g;
    maxGap = Math.max(maxGap, g);
    const flip = twin.flagged !== oof.flagged[i];
    if (flip) flips++;
    if (e.label === 0) { nonToxic++; if (flip) nonToxicFlips++; }
  });
  out(`Identity swap (en): ${pairs} pairs; flag flips ${flips} (${pct(flips / Math.max(1, pairs))}); on non-toxic comments ` +
    `${nonToxicFlips} of ${nonToxic} (${pct(nonToxicFlips / Math.max(1, nonToxic))}, target ≤ 2%); mean |score gap| ${(gap / Math.max(1, pairs)).toFixed(4)}, max ${maxGap.toFixed(4)}`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
  process.stderr.write(`eval-detector: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
