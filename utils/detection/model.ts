import { z } from 'zod';
import { HASH_BITS, sumFeatures, type SkipList } from './features.ts';
import type { Token } from './normalize.ts';

/**
 * The learned part of the detector: logistic regression over hashed features (see features.ts), trained by
 * scripts/train-detector.ts and shipped as int8 weights with one scale factor (utils/detection/model/weights.json).
 */

export const ModelFileSchema = z.object({
  format: z.literal('kalkan-detector-model/1'),
  hashBits: z.literal(HASH_BITS),
  /** Real weight = int8 value × scale. */
  scale: z.number().positive(),
  bias: z.number(),
  /** Languages the model was trained on; others are scored by rules alone. */
  languages: z.array(z.string()),
  /** base64 of 2^hashBits signed bytes. */
  weights: z.string(),
  /**
   * How strongly rule evidence moves this model's logit, per language (see detector.ts). Chosen by the training
   * script on out-of-fold scores; languages not listed use RULE_LOGIT_GAIN.
   */
  ruleGain: z.record(z.string(), z.number().nonnegative()).default({}),
  /**
   * Decision threshold per language on the combined score, chosen by the training script inside the training
   * folds (docs/detector.md). The detector shifts that language's scores so that this threshold falls on 0.5,
   * so the user's sensitivity setting means the same in every language. Missing languages are not shifted.
   */
  threshold: z.record(z.string(), z.number().gt(0).lt(1)).default({}),
  /** Provenance: data sets, seed, hyper-parameters, cross-validated figures. Informational. */
  training: z.record(z.string(), z.unknown()),
});
export type ModelFile = z.infer<typeof ModelFileSchema>;

export interface LoadedModel {
  /**
   * Quantised weights; real weight = value × scale. Scoring sums the int8 values and scales once: 256 KiB stay in
   * the CPU cache where a Float32Array of 1 MiB did not (every feature is a random read into this table).
   */
  weights: Int8Array;
  scale: number;
  bias: number;
  languages: ReadonlySet<string>;
  /** Rule gain per language (from the model file); missing languages use the detector's default. */
  ruleGain?: ReadonlyMap<string, number>;
  /** Per-language decision threshold (see ModelFileSchema.threshold); missing languages use 0.5. */
  threshold?: ReadonlyMap<string, number>;
}

/** A model token's share of the logit, with the strongest single feature for the explanation. */
export interface TokenContribution { token: number; logit: number }

export interface ModelScore {
  probability: number;
  /** Contributions per token (only tokens with positive total), strongest first. */
  contributions: TokenContribution[];
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}

/** Parses and unpacks a model file; throws with a message that says how to rebuild it. */
export function loadModel(data: unknown): LoadedModel {
  const parsed = ModelFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new Error(`Detector model file is invalid (${parsed.error.issues[0]?.message ?? 'unknown'}); rebuild it with "node --import tsx scripts/train-detector.ts".`);
  }
  const file = parsed.data;
  const bytes = decodeBase64(file.weights);
  if (bytes.length !== 1 << file.hashBits) {
    throw new Error(`Detector model has ${bytes.length} weights, expected ${1 << file.hashBits}; rebuild it with "node --import tsx scripts/train-detector.ts".`);
  }
  const weights = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  return {
    weights, scale: file.scale, bias: file.bias, languages: new Set(file.languages), ruleGain: new Map(Object.entries(file.ruleGain)),
    threshold: new Map(Object.entries(file.threshold)),
  };
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Clamp for probabilities before taking logits. */
const EPSILON = 1e-6;

export function logit(p: number): number {
  const q = Math.min(1 - EPSILON, Math.max(EPSILON, p));
  return Math.log(q / (1 - q));
}

/**
 * The detector's combined logit for a language with a learned model: rule evidence R adds −gain·ln(1 − R) to the
 * model's logit, and the language's threshold is moved to 0.5 (logit 0). Shared by the detector and the training
 * script, so calibration is chosen on exactly the numbers the detector computes.
 */
export function combinedLogit(modelProbability: number, ruleScore: number, gain: number, threshold = 0.5): number {
  return logit(modelProbability) - gain * Math.log(Math.max(EPSILON, 1 - ruleScore)) - logit(threshold);
}

/** Per-token sums, reused by every call: scoring is synchronous, so one buffer serves every comment. */
let perTokenBuffer = new Float64Array(1024);

/**
 * Scores tokens. Per-token contributions (which words drove the score) are only listed when the probability is
 * at least `explainFrom` (default: always): most comments are harmless and need no explanation. `limit` keeps only
 * the strongest few (the detector names at most MAX_MODEL_REASONS words).
 */
export function scoreTokens(
  model: LoadedModel, tokens: readonly Token[], lang: string, identity: ReadonlySet<string>, skip: SkipList,
  explainFrom = 0, limit = Number.POSITIVE_INFINITY,
): ModelScore {
  if (perTokenBuffer.length < tokens.length) perTokenBuffer = new Float64Array(2 * tokens.length);
  const perToken = perTokenBuffer;
  const { count, sum } = sumFeatures(tokens, lang, identity, skip, model.weights, perToken);
  // Features are L2-normalised binary counts: each occurrence has value 1/sqrt(count).
  const norm = model.scale / Math.sqrt(count);
  const probability = sigmoid(model.bias + sum * norm);
  const contributions: TokenContribution[] = [];
  if (probability < explainFrom) return { probability, contributions };
  if (limit < tokens.length) return { probability, contributions: strongest(perToken, tokens.length, norm, limit) };
  for (let t = 0; t < tokens.length; t++) {
    const logit = perToken[t]! * norm;
    if (logit > 0) contributions.push({ token: t, logit });
  }
  contributions.sort((a, b) => b.logit - a.logit);
  return { probability, contributions };
}

/**
 * The first `limit` entries of the full, stably sorted contribution list (strongest first, ties in token order)
 * without listing and sorting every token: an explanation names a few words, a comment may have thousands.
 */
function strongest(perToken: Float64Array, count: number, norm: number, limit: number): TokenContribution[] {
  const top: TokenContribution[] = [];
  if (limit <= 0) return top;
  for (let t = 0; t < count; t++) {
    const logit = perToken[t]! * norm;
    if (logit <= 0) continue;
    if (top.length === limit && logit <= top[limit - 1]!.logit) continue;
    // Insert after every entry at least as strong: equal logits keep token order, as the stable sort does.
    let at = top.length;
    while (at > 0 && top[at - 1]!.logit < logit) at--;
    top.splice(at, 0, { token: t, logit });
    if (top.length > limit) top.pop();
  }
  return top;
}
