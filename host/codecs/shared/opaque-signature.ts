import type { IrOpaque, IrPart } from '../../ir/ir-part.js';
import type { IrWarning } from '../../ir/ir-warning.js';

type Family = IrOpaque['family'];

/**
 * What a signature handed to a client stands for, so it finds its place again when the client
 * sends it back:
 * - `reasoning`: the signature of a thinking / thought / reasoning block (Anthropic thinking
 *   signatures, Gemini thought signatures, OpenAI encrypted reasoning);
 * - `redacted`: an Anthropic `redacted_thinking` block's data, for protocols without that block;
 * - `call`: a Gemini thought signature that came on a `functionCall` part, carried in a thinking
 *   or reasoning block of a protocol whose tool calls have no place for it. It goes back on the
 *   tool call that block follows (see attachCallSignature).
 */
export type OpaqueRole = 'reasoning' | 'redacted' | 'call' | 'thinking';

export interface UnwrappedOpaque {
  signature: IrOpaque;
  /** `thinking` (see wrapThinking): the text the signature signs travels with it. */
  role: OpaqueRole;
  /** For `thinking`: the signed reasoning text. */
  text?: string;
}

/**
 * The one wrapping scheme for signatures a client cannot tell apart from its own family's:
 * `localgate.<family>[-redacted|-call].<value>`. A client of the family that made a plain
 * reasoning signature gets it verbatim. Anthropic signatures, Gemini thought signatures and OpenAI
 * encrypted content are base64 (url-safe or not) and never contain a dot, so the prefix cannot
 * collide, and the value comes back byte for byte.
 */
const PREFIX = 'localgate.';
/** For a cheap look at a whole JSON text before walking it for wrapped values. */
export const WRAPPED_OPAQUE_PREFIX = PREFIX;
const FAMILIES: readonly Family[] = ['openai', 'anthropic', 'gemini'];

/** Whether Localgate wrapped this value (a same-family pass-through must not forward it). */
export function isWrappedOpaque(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

/** The value a client of `clientFamily` receives for this signature. */
export function wrapOpaque(signature: IrOpaque, role: OpaqueRole, clientFamily: Family): string {
  if (role === 'reasoning' && signature.family === clientFamily) return signature.value;
  return `${PREFIX}${signature.family}${role === 'reasoning' ? '' : `-${role}`}.${signature.value}`;
}

/** A value a client of `clientFamily` sent back; anything not wrapped is its own family's. */
export function unwrapOpaque(value: string, clientFamily: Family): UnwrappedOpaque {
  if (value.startsWith(PREFIX)) {
    const dot = value.indexOf('.', PREFIX.length);
    if (dot > 0) {
      const [family, role = 'reasoning'] = value.slice(PREFIX.length, dot).split('-', 2) as [string, string | undefined];
      if ((FAMILIES as readonly string[]).includes(family) && (role === 'reasoning' || role === 'redacted' || role === 'call')) {
        return { signature: { family: family as Family, value: value.slice(dot + 1) }, role };
      }
      if ((FAMILIES as readonly string[]).includes(family) && role === 'thinking') {
        const carried = unpackThinking(value.slice(dot + 1));
        if (carried) return { signature: { family: family as Family, value: carried.signature }, role, text: carried.text };
      }
    }
  }
  return { signature: { family: clientFamily, value }, role: 'reasoning' };
}

/**
 * A signed reasoning block, text and signature together, as one opaque value
 * (`localgate.<family>-thinking.<base64url of [text, signature]>`). For clients that keep only
 * their tool calls: Gemini CLI sends back a model turn's `functionCall` parts and drops its
 * thought parts, so an Anthropic thinking block (which Anthropic verifies text and signature
 * together, and requires first in a tool-use turn) rides on the call it came with.
 */
export function wrapThinking(text: string, signature: IrOpaque): string {
  return `${PREFIX}${signature.family}-thinking.${Buffer.from(JSON.stringify([text, signature.value])).toString('base64url')}`;
}

function unpackThinking(packed: string): { text: string; signature: string } | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(packed, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') return { text: value[0], signature: value[1] };
  } catch {
    // Not ours after all: the caller treats the value as the client's own.
  }
  return undefined;
}

/**
 * Puts a `call` signature back on the tool call its carrier block follows (the nearest earlier
 * tool call of the same turn). False when there is none, or it already has a signature: the
 * caller drops the signature with a warning.
 */
export function attachCallSignature(parts: readonly IrPart[], signature: IrOpaque): boolean {
  for (let index = parts.length - 1; index >= 0; index--) {
    const part = parts[index]!;
    if (part.type !== 'tool-call') continue;
    if (part.signature) return false;
    part.signature = signature;
    return true;
  }
  return false;
}

/** The warning for a `call` carrier that follows no unsigned tool call (a client moved or dropped blocks). */
export const ORPHAN_CALL_SIGNATURE: IrWarning = {
  type: 'dropped',
  feature: 'thoughtSignature',
  details: 'a tool-call signature followed no tool call of its turn',
};
