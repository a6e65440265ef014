import type { IrOpaque } from '../../ir/ir-part.js';
import { unwrapOpaque, wrapOpaque } from '../shared/opaque-signature.js';

/**
 * A function call's thought signature on the Chat Completions wire, where Google's own
 * OpenAI-compatible endpoint puts it: `tool_calls[i].extra_content.google.thought_signature`.
 * Clients that know Gemini's endpoint (the AI SDK, LiteLLM, Continue) send it back there; the
 * official SDK keeps the field when a client echoes the message it returned.
 * @see https://ai.google.dev/gemini-api/docs/openai#thinking
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export interface GoogleExtraContent {
  google: { thought_signature: string };
}

export function googleExtraContent(signature: IrOpaque): GoogleExtraContent {
  return { google: { thought_signature: wrapOpaque(signature, 'reasoning', 'gemini') } };
}

/** The signature a client sent back on a tool call, if any. */
export function signatureFromExtraContent(call: Record<string, unknown>): IrOpaque | undefined {
  const extra = call.extra_content;
  if (typeof extra !== 'object' || extra === null) return undefined;
  const google = (extra as Record<string, unknown>).google;
  if (typeof google !== 'object' || google === null) return undefined;
  const value = (google as Record<string, unknown>).thought_signature;
  return typeof value === 'string' && value !== '' ? unwrapOpaque(value, 'gemini').signature : undefined;
}
