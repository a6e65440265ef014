import type { IrUnifiedFinishReason } from '../../../host/ir/ir-response.js';
import type { IrStreamEvent } from '../../../host/ir/ir-stream-event.js';
import type { StreamFixture } from './stream-fixture.js';

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
  /**
   * The kinds of content in the order the client sees them, repeats collapsed, empty content
   * left out. A fixture leaves it out when it is reasoning → text → tool calls (see expectedMeaning).
   */
  order?: ContentKind[];
}

export type ContentKind = 'reasoning' | 'text' | 'tool-calls';

/** The fixture's expected meaning with its content order filled in. */
export function expectedMeaning(fixture: StreamFixture): StreamMeaning {
  const { expected } = fixture;
  const present: ContentKind[] = [];
  if (expected.reasoning !== '') present.push('reasoning');
  if (expected.text !== '') present.push('text');
  if (expected.toolCalls.length > 0) present.push('tool-calls');
  return { ...expected, order: expected.order ?? present };
}

/** Collects a stream's content as a reader meets it; every reader (IR, each protocol) builds its meaning with it. */
export class MeaningBuilder {
  text = '';
  reasoning = '';
  readonly toolCalls: StreamMeaning['toolCalls'] = [];
  readonly #order: ContentKind[] = [];

  addText(delta: string): void {
    this.text += delta;
    this.#saw('text', delta !== '');
  }

  addReasoning(delta: string): void {
    this.reasoning += delta;
    this.#saw('reasoning', delta !== '');
  }

  addToolCall(name: string, args: Record<string, unknown>): void {
    this.toolCalls.push({ name, args });
    this.sawToolCall();
  }

  /** For readers that see a call's place before its arguments are complete (OpenAI Chat deltas). */
  sawToolCall(): void {
    this.#saw('tool-calls', true);
  }

  build(finish: IrUnifiedFinishReason, usage: StreamMeaning['usage']): StreamMeaning {
    return { text: this.text, reasoning: this.reasoning, toolCalls: this.toolCalls, finish, usage, order: [...this.#order] };
  }

  /** Repeats collapse; empty content does not count. */
  #saw(kind: ContentKind, nonEmpty: boolean): void {
    if (nonEmpty && this.#order.at(-1) !== kind) this.#order.push(kind);
  }
}

/** The meaning of an IR event sequence (a decoder's whole output): what a client should end up with. */
export function meaningOfIrEvents(events: readonly IrStreamEvent[]): StreamMeaning & { ended: 'finish' | 'error' | 'open' } {
  const content = new MeaningBuilder();
  let finish: IrUnifiedFinishReason = 'other';
  // A count the provider did not report reads as 0, as every client protocol shows it.
  let usage = { input: 0, output: 0 };
  let ended: 'finish' | 'error' | 'open' = 'open';
  const takeUsage = (from: { inputTokens?: number; outputTokens?: number }) => {
    usage = { input: from.inputTokens ?? usage.input, output: from.outputTokens ?? usage.output };
  };
  for (const event of events) {
    if (event.type === 'text-delta') content.addText(event.delta);
    else if (event.type === 'reasoning-delta') content.addReasoning(event.delta);
    else if (event.type === 'tool-call') content.addToolCall(event.toolName, JSON.parse(event.argumentsText) as Record<string, unknown>);
    else if (event.type === 'usage') takeUsage(event.usage);
    else if (event.type === 'finish') {
      takeUsage(event.usage);
      finish = event.finishReason.unified;
      ended = 'finish';
    } else if (event.type === 'error') ended = 'error';
  }
  return { ...content.build(finish, usage), ended };
}
