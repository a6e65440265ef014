import { SKIP_THOUGHT_SIGNATURE_VALIDATOR } from '../codecs/gemini/signature.js';
import { isWrappedOpaque, WRAPPED_OPAQUE_PREFIX } from '../codecs/shared/opaque-signature.js';

/**
 * When a conversation was served by another family, Localgate hands the client that family's
 * signatures wrapped (shared/opaque-signature.ts: Anthropic thinking signatures, Gemini thought
 * signatures, a Gemini call's signature in a thinking block) or, for unsigned reasoning, an empty one. If a later turn of the same conversation
 * goes to an upstream of the client's own family, it is passed through — and the real upstream
 * would reject those blocks. These functions remove exactly them (returning undefined when there
 * are none, so the client's bytes pass untouched in the common case).
 */
type Json = Record<string, unknown>;

/**
 * Whether the client's JSON text (when known) can hold what is removed here: one of `needles`, or
 * characters spelled with `\u` escapes, which could spell them. Most requests hold none, and a
 * search of the text costs far less than a walk of every message.
 */
function mayHold(rawText: string | undefined, needles: readonly string[]): boolean {
  return rawText === undefined || rawText.includes('\\u') || needles.some((needle) => rawText.includes(needle));
}

/**
 * Anthropic: drops thinking / redacted_thinking blocks whose signature or data is ours (wrapped,
 * or a thinking block without a signature). `rawText`: the client's JSON text of `body`.
 */
export function withoutForeignAnthropicThinking(body: Json, rawText?: string): Json | undefined {
  if (!mayHold(rawText, [WRAPPED_OPAQUE_PREFIX, '"thinking"'])) return undefined;
  const messages = body.messages;
  if (!Array.isArray(messages)) return undefined;
  let changed = false;
  const cleaned = messages.map((message: Json) => {
    if (message?.role !== 'assistant' || !Array.isArray(message.content)) return message;
    const content = (message.content as Json[]).filter((block) => {
      const ours =
        (block?.type === 'thinking' && (typeof block.signature !== 'string' || block.signature === '' || isWrappedOpaque(block.signature))) ||
        (block?.type === 'redacted_thinking' && isWrappedOpaque(block.data));
      if (ours) changed = true;
      return !ours;
    });
    return content.length === (message.content as Json[]).length ? message : { ...message, content };
  });
  return changed ? { ...body, messages: cleaned } : undefined;
}

/**
 * Gemini: removes our wrapped `thoughtSignature`s; a function call keeps Google's documented skip
 * value instead (models that require signatures would reject a call without one). `rawText`: the
 * client's JSON text of `body`.
 */
export function withoutForeignGeminiSignatures(body: Json, rawText?: string): Json | undefined {
  if (!mayHold(rawText, [WRAPPED_OPAQUE_PREFIX])) return undefined;
  const contents = body.contents;
  if (!Array.isArray(contents)) return undefined;
  let changed = false;
  const cleaned = contents.map((content: Json) => {
    if (!Array.isArray(content?.parts)) return content;
    const parts = (content.parts as Json[]).flatMap((part) => {
      const signature = part?.thoughtSignature ?? part?.thought_signature;
      if (!isWrappedOpaque(signature)) return [part];
      changed = true;
      const { thoughtSignature: _camel, thought_signature: _snake, ...rest } = part;
      if (rest.functionCall || rest.function_call) return [{ ...rest, thoughtSignature: SKIP_THOUGHT_SIGNATURE_VALIDATOR }];
      // A thought that only carried a foreign signature has nothing for Google.
      if (rest.thought === true && !rest.text) return [];
      return [rest];
    });
    return parts.length === (content.parts as Json[]).length && !changed ? content : { ...content, parts };
  });
  return changed ? { ...body, contents: cleaned } : undefined;
}
