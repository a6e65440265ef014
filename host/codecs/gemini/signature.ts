/**
 * Sentinel Google documents for replaying a `functionCall` whose real thought signature is not
 * available (history made by another model or protocol). The AI SDK's
 * `convert-to-google-messages.ts` exports it as SKIP_THOUGHT_SIGNATURE_VALIDATOR.
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export const SKIP_THOUGHT_SIGNATURE_VALIDATOR = 'skip_thought_signature_validator';

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
