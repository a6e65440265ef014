import * as z from 'zod';

/** The reference product's rule: a proxy key starts with `sk-` and is at least 10 characters. */
export const ApiKeySchema = z
  .string()
  .min(10, 'api_key must be at least 10 characters')
  .refine((key) => key.startsWith('sk-'), 'api_key must start with "sk-"');

const KEY_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * A fresh `sk-` key with 40 random characters. Uses Web Crypto, which both Node 20 and the
 * extension have; rejection sampling keeps every character equally likely.
 */
export function generateApiKey(): string {
  const out: string[] = [];
  const bytes = new Uint8Array(64);
  while (out.length < 40) {
    globalThis.crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte < 248 && out.length < 40) out.push(KEY_ALPHABET[byte % 62]!);
    }
  }
  return `sk-${out.join('')}`;
}

/** `sk-abcd…wxyz`: enough to tell keys apart, never enough to use one. */
export function maskSecret(secret: string): string {
  if (secret.length <= 12) return `${secret.slice(0, 3)}…`;
  return `${secret.slice(0, 6)}…${secret.slice(-4)}`;
}
