/**
 * Trains the detector's learned model on ../shared/data/toxicity and writes utils/detection/model/weights.json.
 *   node --import tsx scripts/train-detector.ts [--folds 5] [--seed N] [--no-write]
 * Cross-validates first (grouped, seeded folds) and prints out-of-fold ROC-AUC per language, then trains the
 * shipped weights on all visible rows. Same seed → byte-identical weights.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createDetector } from '../utils/detection/detector.ts';
import { builtinPacks } from '../utils/detection/rule-packs/index.ts';
import { compilePacks } from '../utils/detection/rules.ts';
import {
  DEFAULT_TRAIN_OPTIONS, asLoadedModel, assignFolds, featurize, parseTable, predict, rocAuc, toModelFile, trainLogistic,
  type Example, type Featurized, type TrainOptions,
} from '../utils/detection/training.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TOXICITY_DIR = process.env.KALKAN_SHARED_DATA
  ? resolve(process.env.KALKAN_SHARED_DATA, 'toxicity')
  : resolve(repoRoot, '..', 'shared', 'data', 'toxicity');
export const MODEL_PATH = resolve(repoRoot, 'utils', 'detection', 'model', 'weights.json');
export const MODEL_LANGUAGES = ['en', 'es', 'it', 'tr', 'ru'];
export const DEFAULT_FOLDS = 5;

function read(rel: string): string {
  try {
    return readFileSync(resolve(TOXICITY_DIR, rel), 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${rel} under ${TOXICITY_DIR} (${error instanceof Error ? error.message : String(error)}); ` +
      'put ../shared/data beside the checkout or set KALKAN_SHARED_DATA.');
  }
}

export interface Datasets {
  train: Example[];
  /** Identity-swapped twins of the English rows (same group as the original), for the bias check only. */
  twins: Map<string, string>;
  /** Russian rows: group → toxic text and its neutral rewrites. */
}

export function loadDatasets(): Datasets {
  const train: Example[] = [];
  const twins = new Map<string, string>();
  const en = parseTable(read('unintended-ml-bias-analysis/toxicity_nonfuzzed_testset.csv'), ',');
  const fuzzed = parseTable(read('unintended-ml-bias-analysis/toxicity_fuzzed_testset.csv'), ',');
  const fuzzedById = new Map(fuzzed.map((r) => [r['rev_id'] ?? '', r['comment'] ?? '']));
  for (const r of en) {
    const id = r['rev_id'] ?? '';
    train.push({ text: r['comment'] ?? '', lang: 'en', label: r['toxic'] === 'True' ? 1 : 0, group: `wtl:${id}`, source: 'wikipedia-talk' });
    const twin = fuzzedById.get(id);
    if (twin !== undefined) twins.set(`wtl:${id}`, twin);
  }
  parseTable(read('ibm-max-jigsaw-test-sample/test_examples.csv'), ',').forEach((r, i) => {
    train.push({ text: r['comment_text'] ?? '', lang: 'en', label: r['toxic'] === '1' ? 1 : 0, group: `j18:${i}`, source: 'jigsaw2018' });
  });
  for (const r of parseTable(read('jigsaw2020-multilingual-validation/validation.csv'), ',')) {
    const lang = r['lang'] ?? '';
    train.push({ text: r['comment_text'] ?? '', lang, label: r['toxic'] === '1' ? 1 : 0, group: `j20:${r['id'] ?? ''}`, source: `jigsaw2020-${lang}` });
  }
  parseTable(read('russe-detox-2022-ru/dev.tsv'), '\t').forEach((r, i) => {
    train.push({ text: r['toxic_comment'] ?? '', lang: 'ru', label: 1, group: `ru:${i}`, source: 'russe-toxic' });
    for (const k of ['neutral_comment1', 'neutral_comment2', 'neutral_comment3']) {
      const t = (r[k] ?? '').trim();
      if (t !== '') train.push({ text: t, lang: 'ru', label: 0, group: `ru:${i}`, source: 'russe-neutral' });
    }
  });
  return { train, twins };
}

const identityCache = new Map<string, ReadonlySet<string>>();
export function identityFor(lang: string): ReadonlySet<string> {
  let s = identityCache.get(lang);
  if (!s) {
    const pack = builtinPacks().get(lang);
    s = pack ? compilePacks([pack]).identity : new Set<string>();
    identityCache.set(lang, s);
  }
  return s;
}

export function featurizeAll(examples: readonly Example[]): Featurized[] {
  return examples.map((e) => ({ ...featurize(e.text, e.lang, identityFor(e.lang)), label: e.label }));
}

export interface OutOfFold {
  /** Model-only out-of-fold probability per example. */
  model: number[];
  /** Full detector (rules + out-of-fold model) score per example. */
  combined: number[];
  /** Rules alone (no model) per example. */
  rules: number[];
  flagged: boolean[];
  /** Full detector on the identity-swapped twin, by group (English rows with a twin). */
  twinCombined: Map<string, { score: number; flagged: boolean }>;
}

/** k-fold cross-validation: every row is scored by a model that never saw its group. */
export function crossValidate(data: Datasets, feats: readonly Featurized[], folds: number, options: TrainOptions): OutOfFold {
  const fold = assignFolds(data.train.map((e) => e.group), folds, options.seed);
  const out: OutOfFold = { model: [], combined: [], rules: [], flagged: [], twinCombined: new Map() };
  const rulesOnly = createDetector({ model: null });
  data.train.forEach((e, i) => { out.rules[i] = rulesOnly.detect(e.text, { lang: e.lang }).score; });
  for (let f = 0; f < folds; f++) {
    const trainSet = feats.filter((_, i) => fold[i] !== f);
    const model = trainLogistic(trainSet, options);
    const detector = createDetector({ model: asLoadedModel(model, MODEL_LANGUAGES) });
    data.train.forEach((e, i) => {
      if (fold[i] !== f) return;
      out.model[i] = predict(model, feats[i]!);
      const r = detector.detect(e.text, { lang: e.lang });
      out.combined[i] = r.score;
      out.flagged[i] = r.flagged;
      const twin = data.twins.get(e.group);
      if (twin !== undefined) {
        const t = detector.detect(twin, { lang: e.lang });
        out.twinCombined.set(e.group, { score: t.score, flagged: t.flagged });
      }
    });
  }
  return out;
}

export function aucBy(data: Datasets, scores: readonly number[], filter: (e: Example) => boolean): number {
  const s: number[] = [];
  const l: number[] = [];
  data.train.forEach((e, i) => { if (filter(e)) { s.push(scores[i]!); l.push(e.label); } });
  return rocAuc(s, l);
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: {
      folds: { type: 'string', default: String(DEFAULT_FOLDS) },
      seed: { type: 'string', default: String(DEFAULT_TRAIN_OPTIONS.seed) },
      'no-write': { type: 'boolean', default: false },
      'skip-cv': { type: 'boolean', default: false },
    } }));
  } catch (error) {
    process.stderr.write(`train-detector: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const folds = Number(values.folds);
  const seed = Number(values.seed);
  if (!Number.isInteger(folds) || folds < 2 || !Number.isInteger(seed)) {
    process.stderr.write('train-detector: --folds must be an integer ≥ 2 and --seed an integer\n');
    return 2;
  }
  const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, seed };
  const data = loadDatasets();
  const feats = featurizeAll(data.train);
  process.stdout.write(`rows: ${data.train.length} (${data.train.filter((e) => e.label === 1).length} toxic)\n`);
  const cv: Record<string, number> = {};
  if (!values['skip-cv']) {
    const oof = crossValidate(data, feats, folds, options);
    for (const lang of MODEL_LANGUAGES) {
      cv[`${lang}.model`] = aucBy(data, oof.model, (e) => e.lang === lang);
      cv[`${lang}.combined`] = aucBy(data, oof.combined, (e) => e.lang === lang);
      process.stdout.write(`${folds}-fold CV ROC-AUC ${lang}: model ${cv[`${lang}.model`]!.toFixed(3)}  rules+model ${cv[`${lang}.combined`]!.toFixed(3)}\n`);
    }
  }
  const model = trainLogistic(feats, options);
  const file = toModelFile(model, MODEL_LANGUAGES, {
    data: ['unintended-ml-bias-analysis/toxicity_nonfuzzed_testset.csv', 'ibm-max-jigsaw-test-sample/test_examples.csv',
      'jigsaw2020-multilingual-validation/validation.csv', 'russe-detox-2022-ru/dev.tsv'],
    rows: data.train.length, options, folds,
    crossValidatedRocAuc: Object.fromEntries(Object.entries(cv).map(([k, v]) => [k, Math.round(v * 1000) / 1000])),
  });
  const json = `${JSON.stringify(file)}\n`;
  if (!values['no-write']) {
    writeFileSync(MODEL_PATH, json);
    process.stdout.write(`wrote ${MODEL_PATH} (${(json.length / 1024).toFixed(0)} KiB)\n`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
    process.stderr.write(`train-detector: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
