import type { IrAssistantPart, IrOpaque, IrPart, IrReasoningPart } from '../ir/ir-part.js';
import type { IrRequest } from '../ir/ir-request.js';
import type { IrStreamEvent } from '../ir/ir-stream-event.js';

/** What the upstream needs back with a tool call, remembered under the call's id. */
interface Remembered {
  /** The call's own signature (Gemini signs `functionCall` parts). */
  call?: IrOpaque;
  /** The signed thinking that opened the turn (Anthropic wants it first in a tool-use turn). */
  thinking?: IrReasoningPart[];
}

/**
 * Signatures handed to clients, remembered by tool-call id so that a client that drops fields it
 * does not know (`extra_content` on an OpenAI tool call, `reasoning_content`, a thinking block)
 * still gets its next turn accepted: Gemini 3 rejects a replayed `functionCall` without its
 * signature, Anthropic a tool-use turn without its signed thinking block.
 *
 * Bounded (least recently used entries go first; the size is read from the config on each
 * write, so a change applies at once) and in memory only: never written to disk, lost on
 * restart, where the client's own copy, or the documented fallbacks, take over.
 */
export class SignatureMemory {
  readonly #entries = new Map<string, Remembered>();
  readonly #capacity: () => number;

  constructor(capacity: () => number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** False when `signature_cache_size` is 0: nothing is recorded, so streams need no recorder. */
  get enabled(): boolean {
    return this.#capacity() > 0;
  }

  /** Remembers what an answer's assistant turn signed (whole answers and streams alike). */
  rememberTurn(content: readonly IrAssistantPart[]): void {
    const thinking = content.filter((part): part is IrReasoningPart => part.type === 'reasoning' && part.signature?.family === 'anthropic');
    let first = true;
    for (const part of content) {
      if (part.type !== 'tool-call') continue;
      const entry: Remembered = {};
      if (part.signature) entry.call = part.signature;
      if (first && thinking.length > 0) entry.thinking = thinking;
      first = false;
      if (entry.call || entry.thinking) this.#set(part.toolCallId, entry);
    }
  }

  /**
   * Puts back what the client left out of its history: a call's signature on the call, and the
   * signed thinking of a tool-use turn that came back without any (an unsigned copy of the same
   * thinking, e.g. `reasoning_content`, is replaced by the signed one).
   */
  restore(request: IrRequest): void {
    // Nothing remembered (or memory off): no walk over a long history on every request.
    if (this.#entries.size === 0) return;
    for (const message of request.messages) {
      if (message.role !== 'assistant') continue;
      let thinkingRestored = message.parts.some((part) => part.type === 'reasoning' && part.signature);
      for (const part of message.parts) {
        if (part.type !== 'tool-call') continue;
        const entry = this.#get(part.toolCallId);
        if (!entry) continue;
        if (!part.signature && entry.call) part.signature = entry.call;
        if (!thinkingRestored && entry.thinking) {
          message.parts = withThinking(message.parts, entry.thinking);
          thinkingRestored = true;
        }
      }
    }
  }

  #get(id: string): Remembered | undefined {
    const entry = this.#entries.get(id);
    if (entry) {
      // Recently used entries stay longest.
      this.#entries.delete(id);
      this.#entries.set(id, entry);
    }
    return entry;
  }

  #set(id: string, entry: Remembered): void {
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    const capacity = Math.max(0, this.#capacity());
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= capacity) break;
      this.#entries.delete(oldest);
    }
  }
}

/** The turn with its unsigned thinking replaced by the remembered signed thinking, first. */
function withThinking(parts: IrPart[], thinking: readonly IrReasoningPart[]): IrPart[] {
  return [...thinking.map((part) => ({ ...part })), ...parts.filter((part) => part.type !== 'reasoning')];
}

/**
 * Follows a translated stream and hands the finished turn's signed parts to `memory` when the
 * stream finishes. Keeps only what is signed (reasoning text is kept while its block is open,
 * since an Anthropic signature covers it); text and arguments are never held.
 */
export class SignatureRecorder {
  readonly #memory: SignatureMemory;
  readonly #reasoning = new Map<string, IrReasoningPart>();
  readonly #turn: IrAssistantPart[] = [];

  constructor(memory: SignatureMemory) {
    this.#memory = memory;
  }

  observe(event: IrStreamEvent): void {
    switch (event.type) {
      case 'reasoning-start': {
        const part: IrReasoningPart = { type: 'reasoning', text: '' };
        if (event.redacted) part.redacted = true;
        this.#reasoning.set(event.id, part);
        return;
      }
      case 'reasoning-delta': {
        const part = this.#reasoning.get(event.id);
        if (part) part.text += event.delta;
        return;
      }
      case 'reasoning-signature': {
        const part = this.#reasoning.get(event.id);
        if (part) part.signature = event.signature;
        return;
      }
      case 'reasoning-end': {
        const part = this.#reasoning.get(event.id);
        this.#reasoning.delete(event.id);
        if (part?.signature) this.#turn.push(part);
        return;
      }
      case 'tool-call':
        this.#turn.push({ type: 'tool-call', toolCallId: event.toolCallId, toolName: event.toolName, argumentsText: '', ...(event.signature ? { signature: event.signature } : {}) });
        return;
      case 'finish':
        this.#memory.rememberTurn(this.#turn);
        return;
      default:
        return;
    }
  }
}
