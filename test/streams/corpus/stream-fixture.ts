import type { UpstreamFamily } from '../../../host/codecs/codec-types.js';
import type { IrUnifiedFinishReason } from '../../../host/ir/ir-response.js';
import type { IrStreamEvent } from '../../../host/ir/ir-stream-event.js';

/**
 * One provider stream, as the provider puts it on the wire, and what it means. The corpus
 * (gemini.ts, openai.ts, anthropic.ts) is written from the providers' API references and from
 * recorded real streams (the Vercel AI SDK's `__fixtures__/*.chunks.txt`): field order, extra
 * fields, `usage: null` on every OpenAI chunk, Gemini's cumulative usage on every chunk, Anthropic's
 * `ping`s. Ids and signatures are made up.
 */
export interface StreamFixture {
  name: string;
  family: UpstreamFamily;
  /**
   * The answer's bytes as the provider writes them (one entry per write). Gemini answers in the
   * form the URL asks for (`?alt=sse`, else one JSON array), so it depends on `form`; the other
   * families have one form.
   */
  wire(form: WireForm): { status: number; headers: Record<string, string>; chunks: string[] };
  expected: StreamMeaning;
}

export type WireForm = 'sse' | 'json-array';

/** What a stream means, whatever protocol carries it. */
export interface StreamMeaning {
  text: string;
  /** Thinking / thought text ('' when none). */
  reasoning: string;
  toolCalls: Array<{ name: string; args: Record<string, unknown> }>;
  finish: IrUnifiedFinishReason;
  /**
   * `input` includes cached prompt tokens and `output` reasoning tokens (as OpenAI's
   * prompt_tokens / completion_tokens and the IR count them; Anthropic reports cache reads apart).
   */
  usage: { input: number; output: number };
}

/** Every chunk's bytes in one Buffer (for splitting at arbitrary byte offsets). */
export function wireBytes(fixture: StreamFixture, form: WireForm): Buffer {
  return Buffer.from(fixture.wire(form).chunks.join(''), 'utf8');
}

/** SSE `data:` frames, each event on one line, with the provider's line ending. */
export function dataFrames(payloads: ReadonlyArray<object | string>, eol: '\n' | '\r\n'): string[] {
  return payloads.map((payload) => `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}${eol}${eol}`);
}

/** The meaning of an IR event sequence (a decoder's whole output): what a client should end up with. */
export function meaningOfIrEvents(events: readonly IrStreamEvent[]): StreamMeaning & { ended: 'finish' | 'error' | 'open' } {
  let text = '';
  let reasoning = '';
  const toolCalls: StreamMeaning['toolCalls'] = [];
  let finish: IrUnifiedFinishReason = 'other';
  // A count the provider did not report reads as 0, as every client protocol shows it.
  let usage = { input: 0, output: 0 };
  let ended: 'finish' | 'error' | 'open' = 'open';
  const takeUsage = (from: { inputTokens?: number; outputTokens?: number }) => {
    usage = { input: from.inputTokens ?? usage.input, output: from.outputTokens ?? usage.output };
  };
  for (const event of events) {
    if (event.type === 'text-delta') text += event.delta;
    else if (event.type === 'reasoning-delta') reasoning += event.delta;
    else if (event.type === 'tool-call') toolCalls.push({ name: event.toolName, args: JSON.parse(event.argumentsText) as Record<string, unknown> });
    else if (event.type === 'usage') takeUsage(event.usage);
    else if (event.type === 'finish') {
      takeUsage(event.usage);
      finish = event.finishReason.unified;
      ended = 'finish';
    } else if (event.type === 'error') ended = 'error';
  }
  return { text, reasoning, toolCalls, finish, usage, ended };
}
