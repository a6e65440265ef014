/**
 * OpenAI Chat Completions wire shapes, loose on purpose: every object keeps unknown keys
 * (`[key: string]: unknown`) because a gateway must forward fields the SDK-style minimal
 * schemas would drop. Only what the codec reads or writes is named.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 * @see https://platform.openai.com/docs/api-reference/chat/object
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 */

/** Anthropic-style breakpoint that OpenAI-compatible gateways (OpenRouter, LiteLLM) accept on parts. */
export interface OpenAIChatCacheControl {
  type: 'ephemeral';
  ttl?: string;
  [key: string]: unknown;
}

export interface OpenAIChatTextPart {
  type: 'text';
  text: string;
  cache_control?: OpenAIChatCacheControl;
  [key: string]: unknown;
}

export interface OpenAIChatImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' | string; [key: string]: unknown };
  cache_control?: OpenAIChatCacheControl;
  [key: string]: unknown;
}

export interface OpenAIChatAudioPart {
  type: 'input_audio';
  input_audio: { data: string; format: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface OpenAIChatFilePart {
  type: 'file';
  file: { file_data?: string; file_id?: string; filename?: string; [key: string]: unknown };
  cache_control?: OpenAIChatCacheControl;
  [key: string]: unknown;
}

export interface OpenAIChatRefusalPart {
  type: 'refusal';
  refusal: string;
  [key: string]: unknown;
}

export type OpenAIChatContentPart = OpenAIChatTextPart | OpenAIChatImagePart | OpenAIChatAudioPart | OpenAIChatFilePart | OpenAIChatRefusalPart;

export interface OpenAIChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface OpenAIChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function';
  content?: string | OpenAIChatContentPart[] | null;
  name?: string;
  tool_calls?: OpenAIChatToolCall[];
  tool_call_id?: string;
  /** Legacy single call (deprecated in favour of tool_calls). */
  function_call?: { name: string; arguments: string } | null;
  refusal?: string | null;
  /** DeepSeek / vLLM reasoning text. */
  reasoning_content?: string | null;
  /** OpenRouter / Ollama reasoning text. */
  reasoning?: string | null;
  [key: string]: unknown;
}

export interface OpenAIChatFunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null; [key: string]: unknown };
  cache_control?: OpenAIChatCacheControl;
  [key: string]: unknown;
}

export type OpenAIChatToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export type OpenAIChatResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean | null; description?: string } };

export interface OpenAIChatRequest {
  model: string;
  messages: OpenAIChatMessage[];
  tools?: Array<OpenAIChatFunctionTool | Record<string, unknown>>;
  tool_choice?: OpenAIChatToolChoice;
  parallel_tool_calls?: boolean;
  functions?: Array<{ name: string; description?: string; parameters?: Record<string, unknown> }>;
  function_call?: 'auto' | 'none' | { name: string };
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  /** Not OpenAI's: vLLM, OpenRouter and others accept it. */
  top_k?: number;
  stop?: string | string[] | null;
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  n?: number;
  reasoning_effort?: string;
  response_format?: OpenAIChatResponseFormat;
  stream?: boolean;
  stream_options?: { include_usage?: boolean; [key: string]: unknown } | null;
  user?: string;
  [key: string]: unknown;
}

export interface OpenAIChatUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number; [key: string]: unknown } | null;
  completion_tokens_details?: { reasoning_tokens?: number; [key: string]: unknown } | null;
  [key: string]: unknown;
}

export interface OpenAIChatResponseMessage {
  role: 'assistant';
  content: string | null;
  refusal: string | null;
  tool_calls?: OpenAIChatToolCall[];
  function_call?: { name: string; arguments: string };
  reasoning_content?: string;
  [key: string]: unknown;
}

export interface OpenAIChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{ index: number; message: OpenAIChatResponseMessage; logprobs: unknown; finish_reason: string | null; [key: string]: unknown }>;
  usage?: OpenAIChatUsage;
  [key: string]: unknown;
}

/** One `tool_calls[]` entry of a chunk delta: everything but `index` may be missing. */
export interface OpenAIChatToolCallDelta {
  index?: number | null;
  id?: string | null;
  type?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
  [key: string]: unknown;
}

export interface OpenAIChatChunkDelta {
  role?: string;
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: OpenAIChatToolCallDelta[] | null;
  function_call?: { name?: string | null; arguments?: string | null } | null;
  [key: string]: unknown;
}

export interface OpenAIChatChunk {
  id?: string;
  object?: 'chat.completion.chunk';
  created?: number;
  model?: string;
  /** Empty (or null / missing on vLLM) in the usage-only final chunk. */
  choices?: Array<{ index?: number; delta?: OpenAIChatChunkDelta | null; finish_reason?: string | null; [key: string]: unknown }> | null;
  usage?: OpenAIChatUsage | null;
  /** An error sent as a data line after a 200. */
  error?: OpenAIChatErrorObject;
  [key: string]: unknown;
}

export interface OpenAIChatErrorObject {
  message?: string;
  type?: string | null;
  param?: string | null;
  code?: string | number | null;
  [key: string]: unknown;
}

/** The key this codec uses in `IrExtras` and `IrMessage.extras`. */
export const OPENAI_CHAT = 'openai-chat' as const;

/** Request-level `extras['openai-chat']`: only this codec's encoders read it. */
export interface OpenAIChatRequestExtras {
  /** Top-level request fields with no IR meaning (logprobs, metadata, prompt_cache_key, store, n…), forwarded as is. */
  fields?: Record<string, unknown>;
  /** Which max-tokens field the client used, so an OpenAI-bound encode writes the same one. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /** The client used the legacy `functions` / `function_call` API. */
  legacyFunctions?: boolean;
  /** The client sent `stop` as one string rather than an array. */
  stopAsString?: boolean;
  /** The client sent Anthropic-style `cache_control` on parts or tools, so its upstream accepts it. */
  cacheControl?: boolean;
  /**
   * How the leading system/developer messages were laid out (role, how many IR instruction parts
   * each held, string or parts content), kept only when it differs from one `system` string.
   */
  instructionLayout?: Array<{ role: 'system' | 'developer'; parts: number; string: boolean }>;
  /** Tools other than `function` (custom, web_search…), forwarded as is. */
  otherTools?: Record<string, unknown>[];
  /** `tool_choice` forms the IR cannot express (allowed_tools, custom). */
  toolChoice?: unknown;
  /** `response_format.json_schema.description`. */
  responseFormatDescription?: string;
  /** `stream_options` keys other than include_usage. */
  streamOptions?: Record<string, unknown>;
  /** The client sent `top_k` (a compat extension), so its upstream accepts it. */
  topK?: boolean;
  /** A `reasoning_effort` value the IR does not know, forwarded as is. */
  reasoningEffort?: string;
}

/** Message-level `extras['openai-chat']`. */
export interface OpenAIChatMessageExtras {
  /** `developer` for a mid-conversation developer turn (IR role `system`). */
  role?: 'developer';
  /** Message fields with no IR meaning (`name`, `audio`, assistant `annotations`…). */
  fields?: Record<string, unknown>;
  /** Which field carried the assistant's reasoning text, so it goes back under the same name. */
  reasoningField?: 'reasoning_content' | 'reasoning';
  /** Index in `parts` of the text part that came from `refusal`. */
  refusalPart?: number;
  /** `image_url.detail` by part index. */
  imageDetail?: Record<number, string>;
  /** `file.filename` by part index. */
  filenames?: Record<number, string>;
  /** Parts of unknown type, with their position in the wire `content` array, forwarded as is. */
  unknownParts?: Array<{ index: number; part: Record<string, unknown> }>;
  /** The content was an array of parts rather than a string. */
  contentAsParts?: boolean;
}
