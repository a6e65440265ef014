import { randomUUID } from 'node:crypto';
import type { IrStreamEvent } from '../../ir/ir-stream-event.js';

/**
 * One streamed piece of a tool call, as OpenAI-compatible servers send it in
 * `choices[].delta.tool_calls[]`: every field may be missing from any given piece.
 */
export interface ToolCallDeltaInput {
  index?: number | null;
  id?: string | null;
  name?: string | null;
  arguments?: string | null;
}

interface TrackedToolCall {
  /** The IR block id (opaque, chosen here). */
  blockId: string;
  toolCallId: string | undefined;
  toolName: string | undefined;
  index: number | undefined;
  /** Everything received so far, forwarded or not. */
  argumentsText: string;
  /** `tool-input-start` was emitted; from then on each piece is forwarded at once. */
  started: boolean;
  finished: boolean;
}

export interface ToolCallTrackerOptions {
  /** Prefix of the IR block ids this tracker hands out; must not collide with the decoder's others. */
  blockIdPrefix?: string;
  /** For calls whose id never arrived. */
  generateId?: () => string;
}

/**
 * Accumulates streamed tool calls into IR `tool-input-*` and `tool-call` events, modelled on the
 * AI SDK's `StreamingToolCallTracker` (packages/provider-utils/src/streaming-tool-call-tracker.ts):
 *
 * - A piece is matched to a call by `id`, then by `index`, then to the latest call, so servers
 *   that omit the index or send the id late still land on the right call. A piece whose id
 *   differs from the id of the call at its index starts a new call (some servers reuse index 0
 *   for parallel calls).
 * - Arguments are forwarded as `tool-input-delta` as soon as the call's id and name are known.
 *   Pieces that arrive before them (OpenAI-compatible servers do this) are buffered and sent as
 *   one delta right after `tool-input-start`.
 * - Calls are completed only in `finish()`, at the end of the stream: "a parsable argument buffer
 *   can still be the prefix of a longer argument string" (AI SDK, vercel/ai#13137). The buffer
 *   is never parsed here.
 * - An empty buffer becomes `'{}'` only when no argument text was ever sent (a call without
 *   parameters); that `'{}'` is also sent as a delta, so the deltas always add up to
 *   `argumentsText`.
 */
export class ToolCallTracker {
  readonly #calls: TrackedToolCall[] = [];
  readonly #byId = new Map<string, TrackedToolCall>();
  readonly #byIndex = new Map<number, TrackedToolCall>();
  readonly #blockIdPrefix: string;
  readonly #generateId: () => string;

  constructor(options: ToolCallTrackerOptions = {}) {
    this.#blockIdPrefix = options.blockIdPrefix ?? 'tool-';
    this.#generateId = options.generateId ?? (() => `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`);
  }

  /** Whether any call has been seen (started or still buffered). */
  get hasCalls(): boolean {
    return this.#calls.length > 0;
  }

  /** Takes one piece; appends the events it completes to `out`. */
  push(delta: ToolCallDeltaInput, out: IrStreamEvent[]): void {
    const id = nonBlank(delta.id);
    const index = typeof delta.index === 'number' ? delta.index : undefined;
    const call = this.#resolve(id, index);
    if (id !== undefined && call.toolCallId === undefined) {
      call.toolCallId = id;
      this.#byId.set(id, call);
    }
    if (index !== undefined && call.index === undefined) {
      call.index = index;
      this.#byIndex.set(index, call);
    }
    const name = nonBlank(delta.name);
    if (name !== undefined && call.toolName === undefined) call.toolName = name;

    const piece = delta.arguments;
    if (typeof piece === 'string' && piece.length > 0) {
      call.argumentsText += piece;
      if (call.started) out.push({ type: 'tool-input-delta', id: call.blockId, delta: piece });
    }
    if (!call.started && call.toolCallId !== undefined && call.toolName !== undefined) this.#start(call, out);
  }

  /**
   * The stream is over (finish_reason or `[DONE]`): completes every open call in the order the
   * calls began. Returns how many calls had to be dropped because no function name ever came.
   */
  finish(out: IrStreamEvent[]): { droppedNameless: number } {
    let droppedNameless = 0;
    for (const call of this.#calls) {
      if (call.finished) continue;
      call.finished = true;
      if (!call.started) {
        if (call.toolName === undefined) {
          droppedNameless += 1;
          continue;
        }
        call.toolCallId ??= this.#generateId();
        this.#start(call, out);
      }
      if (call.argumentsText.length === 0) {
        call.argumentsText = '{}';
        out.push({ type: 'tool-input-delta', id: call.blockId, delta: '{}' });
      }
      out.push({ type: 'tool-input-end', id: call.blockId });
      out.push({
        type: 'tool-call',
        id: call.blockId,
        toolCallId: call.toolCallId as string,
        toolName: call.toolName as string,
        argumentsText: call.argumentsText,
      });
    }
    return { droppedNameless };
  }

  #resolve(id: string | undefined, index: number | undefined): TrackedToolCall {
    if (id !== undefined) {
      const byId = this.#byId.get(id);
      if (byId && !byId.finished) return byId;
    }
    const candidate = index !== undefined ? this.#byIndex.get(index) : this.#calls[this.#calls.length - 1];
    if (candidate && !candidate.finished && (id === undefined || candidate.toolCallId === undefined || candidate.toolCallId === id)) {
      return candidate;
    }
    const call: TrackedToolCall = {
      blockId: `${this.#blockIdPrefix}${this.#calls.length}`,
      toolCallId: undefined,
      toolName: undefined,
      index: undefined,
      argumentsText: '',
      started: false,
      finished: false,
    };
    this.#calls.push(call);
    if (index !== undefined) {
      // A reused index now points at the newest call.
      call.index = index;
      this.#byIndex.set(index, call);
    }
    return call;
  }

  #start(call: TrackedToolCall, out: IrStreamEvent[]): void {
    call.started = true;
    out.push({ type: 'tool-input-start', id: call.blockId, toolCallId: call.toolCallId as string, toolName: call.toolName as string });
    if (call.argumentsText.length > 0) out.push({ type: 'tool-input-delta', id: call.blockId, delta: call.argumentsText });
  }
}

function nonBlank(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value : undefined;
}
