import { createHash } from 'node:crypto';

/**
 * The vectors the fake upstreams answer embeddings with: derived from the text, so a test can say
 * which vector belongs to which input; float32 values (what both providers compute and print),
 * so a base64 float32 round trip gives them back exactly.
 */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const seed = createHash('sha256').update(text).digest();
  return Array.from({ length: dimensions }, (_, index) => Math.fround((seed[index % seed.length]! - 128) / 128 + index / 100_000));
}

/** A rough token count (≈ 4 characters per token), as the fakes report usage. */
export function fakeTokenCount(texts: readonly string[]): number {
  return texts.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);
}
