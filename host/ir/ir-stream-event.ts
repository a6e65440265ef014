import type { ProxyError } from '../core/proxy-error.js';
import type { IrCitation, IrOpaque, IrWebSource } from './ir-part.js';
import type { IrFinishReason, IrUsage } from './ir-response.js';

/**
 * A translated stream: one flat union, noun-verb names, start/delta/end lifecycles keyed by an
 * opaque block id chosen by the decoder. Each encoder maps ids to its own numbering.
 * Order rules (checked in tests by assertEventOrder): every delta falls between its start and
 * end (a `text-citation` too); blocks may interleave; `tool-call` follows its `tool-input-end`; at most one `finish`,
 * and nothing after `finish` or `error`.
 */
export type IrStreamEvent =
  | { type: 'response-start'; id: string; model: string; created: number }
  | { type: 'text-start'; id: string }
  | { type: 'text-delta'; id: string; delta: string }
  | { type: 'text-end'; id: string }
  /** A source for the open text block `id` (Anthropic streams them before the text they back, Gemini after). */
  | { type: 'text-citation'; id: string; citation: IrCitation }
  /** A search the upstream ran itself, whole (see IrWebSearchCallPart); no block of its own. */
  | { type: 'web-search-call'; id: string; queries: string[]; sources: IrWebSource[] }
  | { type: 'reasoning-start'; id: string; redacted?: boolean }
  | { type: 'reasoning-delta'; id: string; delta: string }
  | { type: 'reasoning-signature'; id: string; signature: IrOpaque }
  | { type: 'reasoning-end'; id: string }
  | { type: 'tool-input-start'; id: string; toolCallId: string; toolName: string }
  | { type: 'tool-input-delta'; id: string; delta: string }
  | { type: 'tool-input-end'; id: string }
  | { type: 'tool-call'; id: string; toolCallId: string; toolName: string; argumentsText: string; signature?: IrOpaque }
  | { type: 'usage'; usage: IrUsage }
  | { type: 'finish'; finishReason: IrFinishReason; usage: IrUsage }
  | { type: 'error'; error: ProxyError };

export type IrStreamEventType = IrStreamEvent['type'];
