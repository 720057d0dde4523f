import { collectFeatures, FEATURE_SPEC, HASH_BITS, newFeatureBuffer, type FeatureSpec } from './features.ts';
import { encodeBase64, sigmoid, type LoadedModel, type ModelFile } from './model.ts';
import { tokenize } from './normalize.ts';
import { findQuotedRanges, isInside } from './quotes.ts';
import { matchRules, skipContextLowered, type CompiledPacks } from './rules.ts';

/**
 * Pure training helpers for the learned model (used by scripts/train-detector.ts and scripts/eval-detector.ts):
 * seeded random numbers, CSV/TSV parsing, featurisation identical to scoring, logistic regression with
 * Adagrad + L2, int8 quantisation and ROC-AUC. No file access here.
 */

export interface Example {
  text: string;
  lang: string;
  label: 0 | 1;
  /** Rows that must stay in one fold (a comment and its rewrites or identity-swapped twin). */
  group: string;
  source: string;
}

export interface Featurized { slots: Int32Array; value: number; label: 0 | 1 }

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Gradient weight of toxic rows (class weight); 1 = plain log-loss. */
  positiveWeight?: number;
}

/**
 * Chosen by 5-fold CV (docs/detector.md): learning rate 0.05 beat 0.2 and 0.1 on every Latin-script set (a smaller
 * step regularises like early stopping on ~1.2k rows per language); L2 1e-5 vs 2e-6 and 6 vs 24 epochs changed
 * ROC-AUC by under 0.003. Toxic rows weigh 1.4: ROC-AUC is unchanged, and it lifts out-of-fold Russian recall
 * at the 0.5 threshold over 85% (weight 1: 83%, 2: 91% but 16% of neutral rewrites flagged).
 */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { epochs: 12, learningRate: 0.05, l2: 2e-6, seed: 20251125, positiveWeight: 1.4 };
/** int8 range used for quantised weights. */
export const QUANT_MAX = 127;

/** mulberry32: small, seedable, good enough for shuffling and fold assignment. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** RFC 4180 parsing (quoted fields, doubled quotes, newlines inside quotes). */
export function parseDelimited(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else inQuotes = false;
      } else field += ch;
    } else if (ch === '"' && field === '') inQuotes = true;
    else if (ch === delimiter) { row.push(field); field = ''; }
    else if (ch === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; }
    else field += ch;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

/** Parses delimited text with a header row into records keyed by column name. */
export function parseTable(text: string, delimiter: string): Array<Record<string, string>> {
  const [header, ...rows] = parseDelimited(text, delimiter);
  if (!header) return [];
  return rows.filter((r) => r.length === header.length).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** Features of one text exactly as the detector computes them (quotes and masked words left out). */
const featureBuffer = newFeatureBuffer();

/**
 * `packs` (the language's compiled rule packs, as the detector uses them): words of negated or self-directed rule
 * matches are left out, exactly as the detector leaves them out (rules.ts skipContextLowered).
 */
export function featurize(
  text: string, lang: string, identity: ReadonlySet<string>, spec: FeatureSpec = FEATURE_SPEC, packs?: CompiledPacks,
): { slots: Int32Array; value: number } {
  const tokens = tokenize(text, lang);
  const quoted = findQuotedRanges(text);
  const skip = tokens.map((t) => t.masked || (quoted.length > 0 && isInside(t.start, t.end, quoted)));
  if (packs) {
    const matches = matchRules(tokens, packs).filter((m) => quoted.length === 0 || !isInside(tokens[m.first]!.start, tokens[m.last]!.end, quoted));
    skipContextLowered(matches, skip);
  }
  const count = collectFeatures(tokens, lang, identity, skip, featureBuffer, spec);
  return { slots: featureBuffer.slots.slice(0, count), value: 1 / Math.sqrt(count) };
}

export interface TrainedWeights { weights: Float32Array; bias: number }

/** Logistic regression by Adagrad SGD with L2, examples visited in a seeded random order each epoch. */
export function trainLogistic(data: readonly Featurized[], options: TrainOptions = DEFAULT_TRAIN_OPTIONS): TrainedWeights {
  const size = 1 << HASH_BITS;
  const w = new Float32Array(size);
  const g2 = new Float32Array(size).fill(1e-8);
  let bias = 0;
  let biasG2 = 1e-8;
  const rand = seededRandom(options.seed);
  const order = data.map((_, i) => i);
  const positiveWeight = options.positiveWeight ?? 1;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const idx of order) {
      const ex = data[idx]!;
      let z = bias;
      for (const s of ex.slots) z += w[s]! * ex.value;
      const grad = (sigmoid(z) - ex.label) * (ex.label === 1 ? positiveWeight : 1);
      for (const s of ex.slots) {
        const g = grad * ex.value + options.l2 * w[s]!;
        g2[s]! += g * g;
        w[s]! -= (options.learningRate / Math.sqrt(g2[s]!)) * g;
      }
      biasG2 += grad * grad;
      bias -= (options.learningRate / Math.sqrt(biasG2)) * grad;
    }
  }
  return { weights: w, bias };
}

export function predict(model: TrainedWeights, ex: { slots: Int32Array; value: number }): number {
  let z = model.bias;
  for (const s of ex.slots) z += model.weights[s]! * ex.value;
  return sigmoid(z);
}

/** Quantises weights to int8 with one scale (largest |w| → ±127). */
export function quantize(model: TrainedWeights): { bytes: Int8Array; scale: number } {
  let max = 0;
  for (const v of model.weights) max = Math.max(max, Math.abs(v));
  const scale = max > 0 ? max / QUANT_MAX : 1;
  const bytes = new Int8Array(model.weights.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.max(-QUANT_MAX, Math.min(QUANT_MAX, Math.round(model.weights[i]! / scale)));
  return { bytes, scale };
}

export function toModelFile(
  model: TrainedWeights, languages: string[], training: Record<string, unknown>, ruleGain: Record<string, number> = {},
): ModelFile {
  const { bytes, scale } = quantize(model);
  return {
    format: 'kalkan-detector-model/1', hashBits: HASH_BITS, scale, bias: model.bias, languages, ruleGain, training,
    weights: encodeBase64(new Uint8Array(bytes.buffer)),
  };
}

/**
 * The in-memory model the detector uses, from trained weights (cross-validation skips the file). Quantised like
 * the shipped file, so out-of-fold figures measure the int8 model that ships.
 */
export function asLoadedModel(model: TrainedWeights, languages: string[], ruleGain: Record<string, number> = {}): LoadedModel {
  const { bytes, scale } = quantize(model);
  return { weights: bytes, scale, bias: model.bias, languages: new Set(languages), ruleGain: new Map(Object.entries(ruleGain)) };
}

/** ROC-AUC by the rank-sum formula, ties counted half. NaN when one class is missing. */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let neg = 0;
  let rankSum = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[idx[k]!] === 1) { pos++; rankSum += rank; } else neg++;
    }
    i = j + 1;
  }
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Assigns each group to one of k folds, seeded, so related rows never straddle train and test. */
export function assignFolds(groups: readonly string[], k: number, seed: number): number[] {
  const unique = [...new Set(groups)].sort();
  const rand = seededRandom(seed);
  for (let i = unique.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [unique[i], unique[j]] = [unique[j]!, unique[i]!];
  }
  const fold = new Map<string, number>();
  unique.forEach((g, i) => fold.set(g, i % k));
  return groups.map((g) => fold.get(g) ?? 0);
}
