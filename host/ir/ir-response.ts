import type { IrAssistantPart } from './ir-part.js';
import type { IrProtocol } from './ir-request.js';
import type { IrWarning } from './ir-warning.js';

/** Token counts; `undefined` means "not reported" (never 0 by default). */
export interface IrUsage {
  inputTokens?: number;
  /** Input tokens read from a prompt cache. */
  cacheReadTokens?: number;
  /** Input tokens written to a prompt cache. */
  cacheWriteTokens?: number;
  outputTokens?: number;
  reasoningTokens?: number;
}

export type IrUnifiedFinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';

export interface IrFinishReason {
  unified: IrUnifiedFinishReason;
  /** The provider's own value (`end_turn`, `pause_turn`, `MAX_TOKENS`…), written back only to its protocol. */
  raw?: string;
  protocol?: IrProtocol;
}

export interface IrResponse {
  id: string;
  model: string;
  /** Epoch seconds. */
  created: number;
  content: IrAssistantPart[];
  finishReason: IrFinishReason;
  usage: IrUsage;
  warnings: IrWarning[];
}
