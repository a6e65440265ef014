import type { IrOpaque } from '../../ir/ir-part.js';

/**
 * Sentinel Google documents for replaying a `functionCall` whose real thought signature is not
 * available (history made by another model or protocol). The AI SDK's
 * `convert-to-google-messages.ts` exports it as SKIP_THOUGHT_SIGNATURE_VALIDATOR.
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export const SKIP_THOUGHT_SIGNATURE_VALIDATOR = 'skip_thought_signature_validator';

/**
 * Signatures between Gemini clients and other families. A Gemini `thoughtSignature` travels
 * verbatim. One made by another family (an Anthropic thinking signature, an OpenAI encrypted
 * reasoning blob) is handed to a Gemini client as `localgate.<family>.<value>` (or
 * `localgate.anthropic-redacted.<data>` for a redacted thinking block), the same wrapping the
 * Anthropic codec uses: Gemini SDKs send `thoughtSignature` back verbatim, so the decoder can
 * restore the real family, and the Gemini upstream encoder never sends it to Google. Gemini's own
 * signatures are base64 and never contain a dot, so the prefix cannot collide.
 */
const PREFIX = 'localgate.';

export function signatureToWire(signature: IrOpaque, redacted = false): string {
  if (signature.family === 'gemini' && !redacted) return signature.value;
  return `${PREFIX}${signature.family}${redacted ? '-redacted' : ''}.${signature.value}`;
}

export function signatureFromWire(value: string): { signature: IrOpaque; redacted: boolean } {
  if (value.startsWith(PREFIX)) {
    const dot = value.indexOf('.', PREFIX.length);
    if (dot > 0) {
      const tag = value.slice(PREFIX.length, dot);
      const redacted = tag.endsWith('-redacted');
      const family = redacted ? tag.slice(0, -'-redacted'.length) : tag;
      if (family === 'openai' || family === 'anthropic' || family === 'gemini') {
        return { signature: { family, value: value.slice(dot + 1) }, redacted };
      }
    }
  }
  return { signature: { family: 'gemini', value }, redacted: false };
}

/**
 * Whether a model rejects a function call replayed without a thought signature. Gemini 3 and
 * later validate signatures on function calls in the current turn and answer 400 otherwise; 2.5
 * models accept unsigned history. The `-latest` aliases are counted in because they now point at
 * Gemini 3 models, and the sentinel is accepted by every model that validates.
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export function requiresThoughtSignatures(model: string): boolean {
  const major = geminiMajorVersion(model);
  return (major !== undefined && major >= 3) || /-latest$/.test(model);
}

/** `gemini-3-pro-preview` → 3, `models/gemini-2.5-flash` → 2; undefined for non-Gemini names. */
export function geminiMajorVersion(model: string): number | undefined {
  const match = /(?:^|\/)gemini-(\d+)/.exec(model);
  return match ? Number(match[1]) : undefined;
}
