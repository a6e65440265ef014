import type { IrCacheControl, IrPart, IrTextPart } from './ir-part.js';
import type { IrWarning } from './ir-warning.js';

export type IrProtocol = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini';

/** Protocol-specific fields that have no IR meaning, kept for a same-protocol encoder only. */
export type IrExtras = Partial<Record<IrProtocol, Record<string, unknown>>>;

export interface IrMessage {
  /** `system` is a mid-conversation system/developer turn (OpenAI allows them anywhere). */
  role: 'user' | 'assistant' | 'tool' | 'system';
  parts: IrPart[];
  extras?: IrExtras;
}

export interface IrTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments, as the client sent it. */
  parameters: Record<string, unknown>;
  cacheControl?: IrCacheControl;
  /** OpenAI `strict`. */
  strict?: boolean;
  /**
   * A Responses custom tool: its input is one free-form string (`parameters` then declares it as
   * the single string property `input`, so any family can call it). `format` is the client's
   * grammar, echoed back to Responses clients.
   */
  freeform?: { format?: Record<string, unknown> };
}

export type IrToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

/** `undefined` means "not sent": encoders never invent sampling values. */
export interface IrSampling {
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
}

export interface IrReasoningConfig {
  /** OpenAI-style effort. */
  effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';
  /** Anthropic/Gemini-style token budget. */
  budgetTokens?: number;
  /** Whether thoughts come back to the client (Gemini includeThoughts). */
  includeThoughts?: boolean;
  /** Thinking explicitly switched off. */
  disabled?: boolean;
}

export type IrResponseFormat = { type: 'text' } | { type: 'json' } | { type: 'json-schema'; name?: string; schema: Record<string, unknown>; strict?: boolean };

export interface IrRequest {
  /** The model as the client asked for it (mapping happens in the pipeline). */
  model: string;
  /** Leading system/developer blocks, a list so per-block cache_control survives. */
  instructions: IrTextPart[];
  messages: IrMessage[];
  tools: IrTool[];
  toolChoice?: IrToolChoice;
  parallelToolCalls?: boolean;
  sampling: IrSampling;
  reasoning?: IrReasoningConfig;
  responseFormat?: IrResponseFormat;
  stream: boolean;
  /** Whether an OpenAI client asked for usage in the stream (stream_options.include_usage). */
  includeUsage?: boolean;
  /** Opaque end-user id (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  extras: IrExtras;
  warnings: IrWarning[];
}
