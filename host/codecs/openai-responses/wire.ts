/**
 * OpenAI Responses API wire types. Loose on purpose: every object keeps unknown keys (the API grows
 * new item and tool types often, and a gateway must not choke on them); only the fields this codec
 * reads or writes are named. Localgate speaks Responses to clients only (Codex, the `openai` SDK's
 * `client.responses.*`); there is no Responses upstream family.
 * @see https://platform.openai.com/docs/api-reference/responses/create
 * @see https://platform.openai.com/docs/api-reference/responses/object
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 */

// ---------------------------------------------------------------------------------------------
// Request
// ---------------------------------------------------------------------------------------------

/** Marks a content part as a prompt-cache breakpoint (`{mode: 'explicit'}`). */
export interface ResponsesPromptCacheBreakpoint {
  mode: 'explicit';
  [key: string]: unknown;
}

export interface ResponsesInputText {
  type: 'input_text' | 'output_text';
  text: string;
  prompt_cache_breakpoint?: ResponsesPromptCacheBreakpoint;
  [key: string]: unknown;
}

/** An image by URL (a remote URL or a `data:` URI) or by uploaded file id. */
export interface ResponsesInputImage {
  type: 'input_image';
  image_url?: string | null;
  file_id?: string | null;
  detail?: 'low' | 'high' | 'auto' | 'original';
  [key: string]: unknown;
}

/** A document: `file_data` (a `data:` URI or bare base64), `file_id` or `file_url`. */
export interface ResponsesInputFile {
  type: 'input_file';
  file_data?: string;
  file_id?: string | null;
  file_url?: string;
  filename?: string;
  [key: string]: unknown;
}

export type ResponsesInputContent = ResponsesInputText | ResponsesInputImage | ResponsesInputFile;

/** `{role, content}`; `type: 'message'` is optional (the "easy" input message). */
export interface ResponsesInputMessage {
  type?: 'message';
  role: 'user' | 'assistant' | 'system' | 'developer';
  content: string | Array<ResponsesInputContent | { type: 'refusal'; refusal: string }>;
  [key: string]: unknown;
}

export interface ResponsesFunctionCallItem {
  type: 'function_call';
  call_id: string;
  name: string;
  arguments: string;
  id?: string;
  [key: string]: unknown;
}

export interface ResponsesFunctionCallOutputItem {
  type: 'function_call_output';
  call_id: string;
  output: string | ResponsesInputContent[];
  [key: string]: unknown;
}

export interface ResponsesSummaryText {
  type: 'summary_text';
  text: string;
}

export interface ResponsesReasoningItem {
  type: 'reasoning';
  id: string;
  summary: ResponsesSummaryText[];
  /** Raw reasoning (open-weight models); read only when there is no summary. */
  content?: Array<{ type: 'reasoning_text'; text: string }>;
  encrypted_content?: string | null;
  status?: ResponsesItemStatus;
  [key: string]: unknown;
}

export type ResponsesInputItem =
  | ResponsesInputMessage
  | ResponsesFunctionCallItem
  | ResponsesFunctionCallOutputItem
  | ResponsesReasoningItem
  | { type: string; [key: string]: unknown };

/** A function tool: flat, unlike Chat Completions' `{type, function: {...}}`. */
export interface ResponsesFunctionTool {
  type: 'function';
  name: string;
  description?: string | null;
  parameters: Record<string, unknown> | null;
  strict: boolean | null;
  [key: string]: unknown;
}

export type ResponsesToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; name: string } | { type: string; [key: string]: unknown };

export type ResponsesTextFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean | null; description?: string };

export interface ResponsesReasoningParam {
  effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | null;
  summary?: 'auto' | 'concise' | 'detailed' | null;
  /** Deprecated spelling of `summary`. */
  generate_summary?: 'auto' | 'concise' | 'detailed' | null;
  [key: string]: unknown;
}

export interface ResponsesCreateBody {
  model: string;
  input?: string | ResponsesInputItem[];
  instructions?: string | null;
  tools?: Array<ResponsesFunctionTool | { type: string; [key: string]: unknown }>;
  tool_choice?: ResponsesToolChoice;
  parallel_tool_calls?: boolean | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  reasoning?: ResponsesReasoningParam | null;
  text?: { format?: ResponsesTextFormat; verbosity?: string | null; [key: string]: unknown };
  stream?: boolean | null;
  store?: boolean | null;
  previous_response_id?: string | null;
  user?: string;
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Response
// ---------------------------------------------------------------------------------------------

export type ResponsesItemStatus = 'in_progress' | 'completed' | 'incomplete';

export interface ResponsesOutputText {
  type: 'output_text';
  text: string;
  annotations: unknown[];
}

export interface ResponsesOutputMessage {
  type: 'message';
  id: string;
  status: ResponsesItemStatus;
  role: 'assistant';
  content: ResponsesOutputText[];
}

export interface ResponsesOutputFunctionCall {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: ResponsesItemStatus;
}

export interface ResponsesOutputCustomToolCall {
  type: 'custom_tool_call';
  id: string;
  call_id: string;
  name: string;
  /** The raw, free-form input (no JSON). */
  input: string;
  status: ResponsesItemStatus;
}

export interface ResponsesOutputReasoning {
  type: 'reasoning';
  id: string;
  summary: ResponsesSummaryText[];
  encrypted_content?: string;
  status?: ResponsesItemStatus;
}

export type ResponsesOutputItem = ResponsesOutputMessage | ResponsesOutputFunctionCall | ResponsesOutputCustomToolCall | ResponsesOutputReasoning;

/** Counts are required numbers on the wire; what the upstream did not report is written as 0. */
export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens?: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponsesStatus = 'completed' | 'failed' | 'in_progress' | 'cancelled' | 'queued' | 'incomplete';

export interface ResponsesIncompleteDetails {
  reason: 'max_output_tokens' | 'content_filter';
}

/** `response.error`: set only when `status` is `failed`. */
export interface ResponsesErrorObject {
  code: string;
  message: string;
}

/** The Response object, as returned by `POST /v1/responses` and carried by lifecycle events. */
export interface ResponsesResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponsesStatus;
  error: ResponsesErrorObject | null;
  incomplete_details: ResponsesIncompleteDetails | null;
  model: string;
  output: ResponsesOutputItem[];
  usage: ResponsesUsage | null;
  [key: string]: unknown;
}

/** The stream's in-band error frame (`event: error`). */
export interface ResponsesErrorEvent {
  type: 'error';
  code: string | null;
  message: string;
  param: string | null;
  /** The HTTP-style envelope the official SDKs throw on (see encode-error.ts). */
  error: { type: string; code: string | null; message: string; param: string | null };
}
