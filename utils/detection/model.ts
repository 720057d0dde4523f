import { z } from 'zod';
import { HASH_BITS, visitFeatures } from './features.ts';
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
  /** Provenance: data sets, seed, hyper-parameters, cross-validated figures. Informational. */
  training: z.record(z.string(), z.unknown()),
});
export type ModelFile = z.infer<typeof ModelFileSchema>;

export interface LoadedModel {
  weights: Float32Array;
  bias: number;
  languages: ReadonlySet<string>;
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
  const signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const weights = new Float32Array(signed.length);
  for (let i = 0; i < signed.length; i++) weights[i] = signed[i]! * file.scale;
  return { weights, bias: file.bias, languages: new Set(file.languages) };
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Scores tokens; per-token logits let the detector point at the words that drove the score. */
export function scoreTokens(
  model: LoadedModel, tokens: readonly Token[], lang: string, identity: ReadonlySet<string>, skip: readonly boolean[],
): ModelScore {
  const perToken = new Float64Array(tokens.length);
  let raw = 0;
  const w = model.weights;
  const count = visitFeatures(tokens, lang, identity, skip, (slot, token) => {
    const v = w[slot]!;
    raw += v;
    if (token >= 0) perToken[token]! += v;
  });
  // Features are L2-normalised binary counts: each occurrence has value 1/sqrt(count).
  const norm = 1 / Math.sqrt(count);
  const probability = sigmoid(model.bias + raw * norm);
  const contributions: TokenContribution[] = [];
  for (let t = 0; t < perToken.length; t++) {
    const logit = perToken[t]! * norm;
    if (logit > 0) contributions.push({ token: t, logit });
  }
  contributions.sort((a, b) => b.logit - a.logit);
  return { probability, contributions };
}
