import type { IrCacheControl, IrFilePart, IrPart, IrTextPart, IrToolResultPart } from '../../ir/ir-part.js';
import type { IrMessage, IrRequest } from '../../ir/ir-request.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { defaultMaxTokens } from './default-max-tokens.js';
import { MIN_BUDGET_TOKENS, budgetForEffort } from '../shared/reasoning-effort.js';
import { addWarning } from './warnings.js';
import { encodeAnthropicWebSearchTool } from './web-search.js';
import type { AnthropicCacheControl, AnthropicContentBlock, AnthropicMessage, AnthropicRequestBody, AnthropicTextBlock, AnthropicToolResultBlock } from './wire.js';

export { defaultMaxTokens } from './default-max-tokens.js';

/** Anthropic accepts at most four `cache_control` breakpoints per request. */
const MAX_CACHE_BREAKPOINTS = 4;
/** Room left for the answer when `max_tokens` is defaulted and thinking takes a budget. */
const ANSWER_TOKENS_AFTER_THINKING = 4096;

export interface EncodeAnthropicRequestOptions {
  /** Per-model `max_tokens` defaults from config, checked before the built-in table. */
  maxTokensOverrides?: ReadonlyArray<readonly [RegExp, number]>;
}

type Json = Record<string, unknown>;

/**
 * IR → an Anthropic Messages request body for `model`. What Anthropic cannot take is dropped or
 * coerced with a warning pushed onto `request.warnings` (the UpstreamCodec signature has no
 * other way out). Choices:
 * - `max_tokens` is required: `sampling.maxOutputTokens`, else `defaultMaxTokens(model)` (raised
 *   to leave room for a thinking budget);
 * - mid-conversation `system` messages are appended to the top-level `system` (Anthropic has
 *   one system prompt; its authority is kept, its position is not) with a `coerced` warning;
 * - `tool` turns fold into one user turn, tool_result blocks first, and a user message right
 *   after tool results joins that turn (Anthropic wants every tool_result in the user message
 *   right after the assistant's tool_use);
 * - reasoning goes back only when it carries an `anthropic` signature; other families' signatures
 *   are never sent to Anthropic; a tool-use turn opens with its thinking blocks;
 * - tool-call arguments that are not a JSON object are sent as `{"_raw": "<text>"}` with a warning
 *   (Anthropic's `input` must be an object; an empty text means `{}`).
 * @see https://docs.anthropic.com/en/api/messages
 */
export function encodeAnthropicRequest(request: IrRequest, model: string, options: EncodeAnthropicRequestOptions = {}): AnthropicRequestBody {
  const warnings = request.warnings;
  const extras: Json = { ...(request.extras.anthropic ?? {}) };
  for (const [protocol, value] of Object.entries(request.extras)) {
    if (protocol !== 'anthropic' && value && Object.keys(value).length > 0) {
      addWarning(warnings, { type: 'dropped', feature: `${protocol} fields`, details: Object.keys(value).join(', ') });
    }
  }
  const breakpoints = { count: 0 };

  const body: AnthropicRequestBody = { model, max_tokens: 0, messages: [] };

  // Tools first: Anthropic's cache prefix order is tools → system → messages.
  const tools: Json[] = request.tools.map((tool) => {
    const wire: Json = { name: tool.name };
    if (tool.description !== undefined) wire.description = tool.description;
    wire.input_schema = tool.parameters.type === undefined ? { type: 'object', ...tool.parameters } : tool.parameters;
    const cacheControl = encodeCacheControl(tool.cacheControl, breakpoints, warnings);
    if (cacheControl) wire.cache_control = cacheControl;
    // OpenAI clients (the Agents SDK) send `strict: true` by default; Anthropic's strict mode
    // exists only on recent models and rejects schemas OpenAI accepts, so it is not forwarded.
    if (tool.strict) addWarning(warnings, { type: 'dropped', feature: 'tool strict', details: 'sent without strict schema enforcement' });
    return wire;
  });
  const serverTools = [
    ...(request.serverTools ?? []).map(encodeAnthropicWebSearchTool),
    ...(Array.isArray(extras.serverTools) ? (extras.serverTools as Json[]) : []),
  ];
  delete extras.serverTools;
  if (tools.length + serverTools.length > 0) body.tools = [...tools, ...serverTools];

  const system: AnthropicTextBlock[] = request.instructions.filter((part) => part.text !== '').map((part) => textBlock(part, breakpoints, warnings));
  body.messages = encodeMessages(request.messages, system, breakpoints, warnings);
  if (system.length === 1 && system[0]!.cache_control === undefined) body.system = system[0]!.text;
  else if (system.length > 0) body.system = system;

  encodeToolChoice(request, body, warnings);
  const explicitMaxTokens = request.sampling.maxOutputTokens;
  body.max_tokens = explicitMaxTokens ?? defaultMaxTokens(model, options.maxTokensOverrides);
  encodeSampling(request, body, warnings);
  encodeThinking(request, body, extras, explicitMaxTokens, model, options, warnings);

  if (request.responseFormat?.type === 'json-schema') {
    const outputConfig = isObject(extras.output_config) ? extras.output_config : {};
    extras.output_config = { ...outputConfig, format: { type: 'json_schema', schema: request.responseFormat.schema } };
  } else if (request.responseFormat?.type === 'json') {
    addWarning(warnings, { type: 'dropped', feature: 'response_format json_object', details: 'Anthropic has no JSON mode without a schema' });
  }

  const metadata: Json = isObject(extras.metadata) ? { ...extras.metadata } : {};
  delete extras.metadata;
  if (request.user !== undefined) metadata.user_id = request.user;
  if (Object.keys(metadata).length > 0) body.metadata = metadata;
  if (request.stream) body.stream = true;
  // Remaining Anthropic-only fields (container, service_tier, output_config, adaptive thinking…).
  for (const [key, value] of Object.entries(extras)) if (!(key in body)) body[key] = value;
  return body;
}

function encodeMessages(messages: readonly IrMessage[], system: AnthropicTextBlock[], breakpoints: { count: number }, warnings: IrWarning[]): AnthropicMessage[] {
  const result: Array<{ role: 'user' | 'assistant'; content: AnthropicContentBlock[] }> = [];
  let seenConversation = false;
  for (const message of messages) {
    if (message.role === 'system') {
      for (const part of message.parts) {
        if (part.type === 'text') {
          if (part.text !== '') system.push(textBlock(part, breakpoints, warnings));
        } else addWarning(warnings, { type: 'dropped', feature: `${part.type} in a system message` });
      }
      if (seenConversation) {
        addWarning(warnings, { type: 'coerced', feature: 'system message', details: 'a mid-conversation system message is appended to the top-level system prompt' });
      }
      continue;
    }
    seenConversation = true;
    const previous = result.at(-1);
    if (message.role === 'assistant') {
      const content = encodeAssistantParts(message.parts, breakpoints, warnings);
      if (content.length === 0) {
        addWarning(warnings, { type: 'dropped', feature: 'empty assistant message', details: 'nothing Anthropic accepts was left in it' });
        continue;
      }
      result.push({ role: 'assistant', content });
      continue;
    }
    const content = encodeUserParts(message.parts, breakpoints, warnings);
    if (content.length === 0) {
      addWarning(warnings, { type: 'dropped', feature: `empty ${message.role} message` });
      continue;
    }
    const foldIntoPrevious = previous?.role === 'user' && (message.role === 'tool' || previous.content.some((block) => block.type === 'tool_result'));
    if (foldIntoPrevious) mergeIntoUserTurn(previous.content, content);
    else result.push({ role: 'user', content });
  }
  return result;
}

/** Adds blocks to a user turn keeping every tool_result before the other blocks. */
function mergeIntoUserTurn(target: AnthropicContentBlock[], blocks: AnthropicContentBlock[]): void {
  let insertAt = 0;
  while (insertAt < target.length && target[insertAt]!.type === 'tool_result') insertAt++;
  const toolResults = blocks.filter((block) => block.type === 'tool_result');
  target.splice(insertAt, 0, ...toolResults);
  for (const block of blocks) if (block.type !== 'tool_result') target.push(block);
}

function encodeAssistantParts(parts: readonly IrPart[], breakpoints: { count: number }, warnings: IrWarning[]): AnthropicContentBlock[] {
  const content: AnthropicContentBlock[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        if (part.text !== '') content.push(textBlock(part, breakpoints, warnings));
        break;
      case 'reasoning':
        if (part.signature?.family === 'anthropic') {
          content.push(part.redacted ? { type: 'redacted_thinking', data: part.signature.value } : { type: 'thinking', thinking: part.text, signature: part.signature.value });
        } else if (part.signature) {
          addWarning(warnings, { type: 'dropped', feature: 'reasoning', details: `${part.signature.family} reasoning signatures are never sent to Anthropic` });
        } else {
          addWarning(warnings, { type: 'dropped', feature: 'reasoning', details: 'unsigned reasoning cannot be sent back to Anthropic' });
        }
        break;
      case 'tool-call':
        if (part.signature && part.signature.family !== 'anthropic') {
          addWarning(warnings, { type: 'dropped', feature: 'tool call signature', details: `${part.signature.family} signatures are never sent to Anthropic` });
        }
        content.push({ type: 'tool_use', id: part.toolCallId, name: part.toolName, input: parseToolInput(part.argumentsText, warnings) });
        break;
      case 'file':
      case 'tool-result':
        addWarning(warnings, { type: 'dropped', feature: `${part.type} in an assistant message`, details: 'Anthropic assistant turns hold text, thinking and tool_use' });
        break;
    }
  }
  return thinkingFirstInToolTurn(content);
}

/**
 * Anthropic wants a tool-use turn to open with its thinking block: a history that came through
 * another protocol (reasoning item after a message item, restored thinking) may have put text
 * before it. The blocks keep their order otherwise; signatures do not cover positions.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#preserving-thinking-blocks
 */
function thinkingFirstInToolTurn(content: AnthropicContentBlock[]): AnthropicContentBlock[] {
  const isThinking = (block: AnthropicContentBlock) => block.type === 'thinking' || block.type === 'redacted_thinking';
  if (!content.some((block) => block.type === 'tool_use') || content.length === 0 || isThinking(content[0]!) || !content.some(isThinking)) return content;
  return [...content.filter(isThinking), ...content.filter((block) => !isThinking(block))];
}

function encodeUserParts(parts: readonly IrPart[], breakpoints: { count: number }, warnings: IrWarning[]): AnthropicContentBlock[] {
  const toolResults: AnthropicContentBlock[] = [];
  const others: AnthropicContentBlock[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        if (part.text !== '') others.push(textBlock(part, breakpoints, warnings));
        break;
      case 'file': {
        const block = fileBlock(part, breakpoints, warnings);
        if (block) others.push(block);
        break;
      }
      case 'tool-result':
        toolResults.push(toolResultBlock(part, breakpoints, warnings));
        break;
      case 'reasoning':
      case 'tool-call':
        addWarning(warnings, { type: 'dropped', feature: `${part.type} in a user message` });
        break;
    }
  }
  return toolResults.length === 0 ? others : [...toolResults, ...others];
}

function toolResultBlock(part: IrToolResultPart, breakpoints: { count: number }, warnings: IrWarning[]): AnthropicToolResultBlock {
  const block: AnthropicToolResultBlock = { type: 'tool_result', tool_use_id: part.toolCallId };
  const inner: Array<AnthropicTextBlock | AnthropicContentBlock> = [];
  for (const item of part.content) {
    if (item.type === 'text') {
      if (item.text !== '') inner.push(textBlock(item, breakpoints, warnings));
    } else {
      const file = fileBlock(item, breakpoints, warnings);
      if (file) inner.push(file);
    }
  }
  const only = inner[0];
  if (inner.length === 1 && only?.type === 'text' && only.cache_control === undefined) block.content = only.text;
  else if (inner.length > 0) block.content = inner as AnthropicToolResultBlock['content'];
  if (part.isError) block.is_error = true;
  const cacheControl = encodeCacheControl(part.cacheControl, breakpoints, warnings);
  if (cacheControl) block.cache_control = cacheControl;
  return block;
}

/** Images → `image`; PDFs and plain text → `document`; anything else is dropped with a warning. */
function fileBlock(part: IrFilePart, breakpoints: { count: number }, warnings: IrWarning[]): AnthropicContentBlock | undefined {
  const mediaType = part.mediaType;
  const { source } = part;
  let block: AnthropicContentBlock | undefined;
  if (mediaType === 'application/pdf') {
    block = {
      type: 'document',
      source: source.kind === 'base64' ? { type: 'base64', media_type: mediaType, data: source.data } : source.kind === 'url' ? { type: 'url', url: source.url } : { type: 'file', file_id: source.id },
    };
  } else if (mediaType === 'text/plain' && source.kind === 'base64') {
    block = { type: 'document', source: { type: 'text', media_type: 'text/plain', data: Buffer.from(source.data, 'base64').toString('utf8') } };
  } else if (mediaType?.startsWith('image/') || (mediaType === undefined && source.kind !== 'base64')) {
    if (source.kind === 'base64') block = { type: 'image', source: { type: 'base64', media_type: mediaType!, data: source.data } };
    else if (source.kind === 'url') block = { type: 'image', source: { type: 'url', url: source.url } };
    else block = { type: 'image', source: { type: 'file', file_id: source.id } };
  }
  if (!block) {
    addWarning(warnings, { type: 'dropped', feature: 'file', details: `Anthropic takes images, PDFs and plain text, not ${mediaType ?? 'untyped base64 data'}` });
    return undefined;
  }
  const cacheControl = encodeCacheControl(part.cacheControl, breakpoints, warnings);
  if (cacheControl) block.cache_control = cacheControl;
  return block;
}

function textBlock(part: IrTextPart, breakpoints: { count: number }, warnings: IrWarning[]): AnthropicTextBlock {
  const block: AnthropicTextBlock = { type: 'text', text: part.text };
  const cacheControl = encodeCacheControl(part.cacheControl, breakpoints, warnings);
  if (cacheControl) block.cache_control = cacheControl;
  return block;
}

function encodeCacheControl(cacheControl: IrCacheControl | undefined, breakpoints: { count: number }, warnings: IrWarning[]): AnthropicCacheControl | undefined {
  if (!cacheControl) return undefined;
  if (breakpoints.count >= MAX_CACHE_BREAKPOINTS) {
    addWarning(warnings, { type: 'dropped', feature: 'cache_control', details: `Anthropic accepts at most ${MAX_CACHE_BREAKPOINTS} breakpoints` });
    return undefined;
  }
  breakpoints.count++;
  return cacheControl.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: cacheControl.ttl };
}

/**
 * Tool-call arguments → `tool_use.input`. The IR keeps arguments as received text; Anthropic
 * needs an object. Empty text is `{}` (OpenAI-compatible servers send "" for no-argument calls);
 * text that is not a JSON object is wrapped as `{"_raw": text}` so nothing is lost silently.
 */
export function parseToolInput(argumentsText: string, warnings: IrWarning[]): Json {
  if (argumentsText.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(argumentsText);
    if (isObject(value)) return value;
  } catch {
    // fall through to the wrapped form
  }
  addWarning(warnings, { type: 'coerced', feature: 'tool_use.input', details: 'arguments that are not a JSON object are sent as {"_raw": text}' });
  return { _raw: argumentsText };
}

function encodeToolChoice(request: IrRequest, body: AnthropicRequestBody, warnings: IrWarning[]): void {
  const choice = request.toolChoice;
  const parallel = request.parallelToolCalls;
  if (!body.tools) {
    // Anthropic rejects tool_choice without tools; auto and none mean nothing then.
    if (choice?.type === 'required' || choice?.type === 'tool') addWarning(warnings, { type: 'dropped', feature: 'tool_choice', details: `${choice.type} without tools` });
    return;
  }
  if (!choice) {
    if (parallel === false) body.tool_choice = { type: 'auto', disable_parallel_tool_use: true };
    return;
  }
  switch (choice.type) {
    case 'none':
      body.tool_choice = { type: 'none' };
      return;
    case 'auto':
      body.tool_choice = { type: 'auto' };
      break;
    case 'required':
      body.tool_choice = { type: 'any' };
      break;
    case 'tool':
      body.tool_choice = { type: 'tool', name: choice.name };
      break;
  }
  if (parallel !== undefined) body.tool_choice.disable_parallel_tool_use = !parallel;
}

function encodeSampling(request: IrRequest, body: AnthropicRequestBody, warnings: IrWarning[]): void {
  const { sampling } = request;
  if (sampling.temperature !== undefined) {
    // OpenAI allows 0–2, Anthropic 0–1.
    if (sampling.temperature > 1) addWarning(warnings, { type: 'coerced', feature: 'temperature', details: `${sampling.temperature} clamped to 1` });
    body.temperature = Math.min(1, sampling.temperature);
  }
  if (sampling.topP !== undefined) body.top_p = sampling.topP;
  if (sampling.topK !== undefined) body.top_k = sampling.topK;
  if (sampling.stop !== undefined && sampling.stop.length > 0) body.stop_sequences = sampling.stop;
  if (sampling.seed !== undefined) addWarning(warnings, { type: 'dropped', feature: 'seed' });
  if (sampling.presencePenalty !== undefined) addWarning(warnings, { type: 'dropped', feature: 'presence_penalty' });
  if (sampling.frequencyPenalty !== undefined) addWarning(warnings, { type: 'dropped', feature: 'frequency_penalty' });
}

/**
 * IR reasoning → `thinking`. A budget is sent as is; an effort goes through the table in
 * reasoning-budget.ts (warning). The constraints Anthropic enforces are applied here, each with a
 * warning: budget ≥ 1024 and < max_tokens, no temperature/top_k and top_p ≥ 0.95 while thinking,
 * no thinking when tool_choice forces a tool, and a final tool turn must start with signed thinking.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 */
function encodeThinking(
  request: IrRequest,
  body: AnthropicRequestBody,
  extras: Json,
  explicitMaxTokens: number | undefined,
  model: string,
  options: EncodeAnthropicRequestOptions,
  warnings: IrWarning[],
): void {
  if (isObject(extras.thinking)) {
    // A thinking type without a budget (adaptive…) from an Anthropic client: verbatim.
    body.thinking = extras.thinking as AnthropicRequestBody['thinking'];
    delete extras.thinking;
    return;
  }
  const reasoning = request.reasoning;
  if (!reasoning) return;
  if (reasoning.disabled || reasoning.effort === 'none') {
    body.thinking = { type: 'disabled' };
    return;
  }
  let budget = reasoning.budgetTokens;
  if (budget === undefined) {
    if (reasoning.effort !== undefined) {
      budget = budgetForEffort(reasoning.effort);
      addWarning(warnings, { type: 'coerced', feature: 'reasoning effort', details: `effort ${reasoning.effort} sent as thinking.budget_tokens ${budget}` });
    } else if (reasoning.includeThoughts) {
      budget = budgetForEffort('medium');
      addWarning(warnings, { type: 'coerced', feature: 'reasoning', details: `thoughts asked without a budget: thinking.budget_tokens ${budget}` });
    } else return;
  }
  if (budget < MIN_BUDGET_TOKENS) {
    addWarning(warnings, { type: 'coerced', feature: 'thinking.budget_tokens', details: `${budget} raised to Anthropic's minimum ${MIN_BUDGET_TOKENS}` });
    budget = MIN_BUDGET_TOKENS;
  }
  const forcedTool = body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool';
  if (forcedTool) {
    addWarning(warnings, { type: 'dropped', feature: 'thinking', details: 'Anthropic cannot think while tool_choice forces a tool' });
    return;
  }
  if (!finalToolTurnStartsWithThinking(body.messages)) {
    addWarning(warnings, { type: 'dropped', feature: 'thinking', details: 'the current tool turn has no Anthropic-signed thinking block to continue from' });
    return;
  }
  if (explicitMaxTokens === undefined) {
    body.max_tokens = Math.max(defaultMaxTokens(model, options.maxTokensOverrides), budget + ANSWER_TOKENS_AFTER_THINKING);
  } else if (budget >= explicitMaxTokens) {
    if (explicitMaxTokens <= MIN_BUDGET_TOKENS) {
      addWarning(warnings, { type: 'dropped', feature: 'thinking', details: `max_tokens ${explicitMaxTokens} leaves no room for a thinking budget` });
      return;
    }
    const lowered = Math.max(MIN_BUDGET_TOKENS, Math.floor((explicitMaxTokens * 3) / 4));
    addWarning(warnings, { type: 'coerced', feature: 'thinking.budget_tokens', details: `${budget} lowered to ${lowered} to stay below max_tokens ${explicitMaxTokens}` });
    budget = lowered;
  }
  const thinking: Json = { type: 'enabled', budget_tokens: budget };
  if (reasoning.includeThoughts === false) thinking.display = 'omitted';
  else if (reasoning.includeThoughts === true) thinking.display = 'summarized';
  body.thinking = thinking as AnthropicRequestBody['thinking'];
  if (body.temperature !== undefined && body.temperature !== 1) {
    addWarning(warnings, { type: 'dropped', feature: 'temperature', details: 'not accepted while thinking' });
    delete body.temperature;
  }
  if (body.top_k !== undefined) {
    addWarning(warnings, { type: 'dropped', feature: 'top_k', details: 'not accepted while thinking' });
    delete body.top_k;
  }
  if (body.top_p !== undefined && body.top_p < 0.95) {
    addWarning(warnings, { type: 'dropped', feature: 'top_p', details: 'below 0.95 is not accepted while thinking' });
    delete body.top_p;
  }
}

/**
 * With thinking on, Anthropic requires the assistant turn that made the pending tool calls to
 * start with a thinking block. Only checked when the conversation ends inside a tool loop.
 */
function finalToolTurnStartsWithThinking(messages: readonly AnthropicMessage[]): boolean {
  const last = messages.at(-1);
  const assistant = messages.at(-2);
  if (!last || last.role !== 'user' || !Array.isArray(last.content) || last.content[0]?.type !== 'tool_result') return true;
  if (!assistant || assistant.role !== 'assistant' || !Array.isArray(assistant.content)) return true;
  const first = assistant.content[0];
  return first?.type === 'thinking' || first?.type === 'redacted_thinking';
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
