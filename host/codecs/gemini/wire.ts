/**
 * Gemini `generateContent` wire shapes, loose on purpose: a gateway must forward fields it does
 * not model, so every object keeps unknown keys. The REST API accepts both lowerCamelCase (what
 * the SDKs send) and snake_case (proto field names); decoders read both through `readField`.
 * @see https://ai.google.dev/api/generate-content
 */

export interface GeminiBlob {
  mimeType: string;
  /** Base64 bytes. */
  data: string;
  [key: string]: unknown;
}

export interface GeminiFileData {
  mimeType?: string;
  fileUri: string;
  [key: string]: unknown;
}

export interface GeminiFunctionCall {
  /** Optional call id (Gemini 3 may send one; older models never do). */
  id?: string;
  name: string;
  args?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface GeminiFunctionResponse {
  id?: string;
  name: string;
  /** Must be a JSON object (google.protobuf.Struct). */
  response: Record<string, unknown>;
  /** Multimodal function responses (Gemini 3): inline data only. */
  parts?: Array<{ inlineData?: GeminiBlob; [key: string]: unknown }>;
  [key: string]: unknown;
}

/** One part: exactly one data field (text, inlineData, fileData, functionCall…) plus flags. */
export interface GeminiPart {
  text?: string;
  /** The part is a thought summary (only with `thinkingConfig.includeThoughts`). */
  thought?: boolean;
  /** Opaque signature of the model's reasoning, to be sent back with the part it came on. */
  thoughtSignature?: string;
  inlineData?: GeminiBlob;
  fileData?: GeminiFileData;
  functionCall?: GeminiFunctionCall;
  functionResponse?: GeminiFunctionResponse;
  [key: string]: unknown;
}

export interface GeminiContent {
  /** `user` or `model`; the API treats a missing role as `user`. */
  role?: string;
  parts: GeminiPart[];
  [key: string]: unknown;
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  /** OpenAPI 3.0 subset (the Schema object). */
  parameters?: Record<string, unknown>;
  /** Full JSON Schema, mutually exclusive with `parameters` (newer models). */
  parametersJsonSchema?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface GeminiTool {
  functionDeclarations?: GeminiFunctionDeclaration[];
  [key: string]: unknown;
}

export interface GeminiToolConfig {
  functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[]; [key: string]: unknown };
  [key: string]: unknown;
}

export interface GeminiThinkingConfig {
  /** Tokens; 0 switches thinking off (Flash), -1 lets the model decide. */
  thinkingBudget?: number;
  includeThoughts?: boolean;
  /** Gemini 3: `minimal` | `low` | `medium` | `high` (the API also accepts upper case). */
  thinkingLevel?: string;
  [key: string]: unknown;
}

export interface GeminiGenerationConfig {
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseMimeType?: string;
  responseSchema?: Record<string, unknown>;
  responseJsonSchema?: Record<string, unknown>;
  thinkingConfig?: GeminiThinkingConfig;
  [key: string]: unknown;
}

export interface GeminiGenerateContentRequest {
  contents: GeminiContent[];
  systemInstruction?: { role?: string; parts: GeminiPart[] };
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  generationConfig?: GeminiGenerationConfig;
  safetySettings?: unknown[];
  cachedContent?: string;
  [key: string]: unknown;
}

export interface GeminiUsageMetadata {
  /** The whole prompt, cached content included. */
  promptTokenCount?: number;
  /** Visible output (thoughts excluded). */
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
  [key: string]: unknown;
}

export interface GeminiCandidate {
  content?: { role?: string; parts?: GeminiPart[]; [key: string]: unknown };
  finishReason?: string;
  index?: number;
  [key: string]: unknown;
}

export interface GeminiGenerateContentResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: { blockReason?: string; [key: string]: unknown };
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
  [key: string]: unknown;
}

/** Google's error body (google.rpc.Status). */
export interface GeminiErrorBody {
  error: {
    code: number;
    message: string;
    /** google.rpc.Code name, e.g. RESOURCE_EXHAUSTED. */
    status: string;
    details?: Array<{ '@type'?: string; [key: string]: unknown }>;
  };
}

const snakeNames = new Map<string, string>();

/** `maxOutputTokens` → `max_output_tokens`, memoised (names come from a fixed set). */
function snakeCase(name: string): string {
  let snake = snakeNames.get(name);
  if (snake === undefined) {
    snake = name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    snakeNames.set(name, snake);
  }
  return snake;
}

/** Reads `name` in lowerCamelCase, else in snake_case (the REST API accepts both). */
export function readField(object: Record<string, unknown>, name: string): unknown {
  const value = object[name];
  if (value !== undefined) return value;
  return object[snakeCase(name)];
}

/** The keys of `object` in lowerCamelCase (for "everything else goes to extras"). */
export function camelKey(key: string): string {
  return key.includes('_') ? key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()) : key;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
