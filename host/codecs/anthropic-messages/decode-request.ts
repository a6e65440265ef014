import type { IrCacheControl, IrFilePart, IrPart, IrReasoningPart, IrTextPart, IrToolCallPart, IrToolResultPart } from '../../ir/ir-part.js';
import type { IrMessage, IrReasoningConfig, IrRequest, IrResponseFormat, IrSampling, IrTool, IrToolChoice } from '../../ir/ir-request.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { CodecError, type DecodeContext } from '../codec-types.js';
import { effortForBudget } from '../shared/reasoning-effort.js';
import { attachCallSignature, ORPHAN_CALL_SIGNATURE, unwrapOpaque } from '../shared/opaque-signature.js';
import { addWarning } from './warnings.js';
import { decodeAnthropicWebSearchTool, isAnthropicWebSearchTool } from './web-search.js';

/** Top-level fields mapped to IR fields; everything else is kept in `extras.anthropic`. */
const MAPPED_FIELDS = new Set([
  'model', 'messages', 'system', 'max_tokens', 'temperature', 'top_p', 'top_k', 'stop_sequences',
  'metadata', 'tools', 'tool_choice', 'thinking', 'stream', 'output_config', 'output_format',
]);

type Json = Record<string, unknown>;

/**
 * An Anthropic Messages request body → IR.
 *
 * - `system` (string or text blocks with `cache_control`) → `instructions`;
 * - a `user` message is split in order into `tool` messages (runs of `tool_result` blocks) and
 *   `user` messages (everything else), since the IR keeps tool results in `tool` turns;
 * - `thinking`/`redacted_thinking` → reasoning parts with an `anthropic` signature (a
 *   `localgate.<family>.` wrapped one gets its own family back, see signature.ts);
 * - client tools → `tools`; web search (`web_search_…`) → an IR web-search server tool (each
 *   family runs its own); other server tools (`bash_…`, code execution…) → `extras.anthropic.serverTools`;
 * - unknown top-level fields → `extras.anthropic`.
 * @see https://docs.anthropic.com/en/api/messages
 */
export function decodeAnthropicRequest(body: unknown, _context?: DecodeContext): IrRequest {
  if (!isObject(body)) throw new CodecError('The request body must be a JSON object.');
  const warnings: IrWarning[] = [];
  const extras: Json = {};
  for (const [key, value] of Object.entries(body)) if (!MAPPED_FIELDS.has(key)) extras[key] = value;

  const model = body.model;
  if (typeof model !== 'string' || model === '') throw new CodecError('`model`: a model name is required.', 'model');
  if (!Array.isArray(body.messages)) throw new CodecError('`messages`: an array of messages is required.', 'messages');

  const request: IrRequest = {
    model,
    instructions: decodeSystem(body.system),
    messages: decodeMessages(body.messages, warnings),
    tools: [],
    sampling: decodeSampling(body),
    stream: decodeStream(body.stream),
    extras: {},
    warnings,
  };
  decodeTools(body.tools, request, extras, warnings);
  decodeToolChoice(body.tool_choice, request);
  const reasoning = decodeThinking(body.thinking, body.output_config, extras, warnings);
  if (reasoning) request.reasoning = reasoning;
  const responseFormat = decodeOutputFormat(body.output_config, body.output_format, extras);
  if (responseFormat) request.responseFormat = responseFormat;
  decodeMetadata(body.metadata, request, extras);
  if (Object.keys(extras).length > 0) request.extras.anthropic = extras;
  return request;
}

function decodeSystem(system: unknown): IrTextPart[] {
  if (system === undefined || system === null) return [];
  if (typeof system === 'string') return system === '' ? [] : [{ type: 'text', text: system }];
  if (!Array.isArray(system)) throw new CodecError('`system`: a string or an array of text blocks is expected.', 'system');
  return system.map((block, index) => {
    if (!isObject(block) || block.type !== 'text' || typeof block.text !== 'string') {
      throw new CodecError(`\`system[${index}]\`: only text blocks are allowed in the system prompt.`, `system[${index}]`);
    }
    return textPart(block.text, block.cache_control);
  });
}

function decodeMessages(messages: unknown[], warnings: IrWarning[]): IrMessage[] {
  const result: IrMessage[] = [];
  const toolNames = new Map<string, string>();
  messages.forEach((message, index) => {
    const path = `messages[${index}]`;
    if (!isObject(message)) throw new CodecError(`\`${path}\`: a message object is expected.`, path);
    const { role } = message;
    if (role !== 'user' && role !== 'assistant' && role !== 'system') {
      throw new CodecError(`\`${path}.role\`: expected "user", "assistant" or "system", got ${JSON.stringify(role)}.`, `${path}.role`);
    }
    const blocks = contentBlocks(message.content, `${path}.content`);
    if (role === 'assistant') {
      const parts: IrPart[] = [];
      blocks.forEach((block, blockIndex) => {
        const carried = block.type === 'thinking' && typeof block.signature === 'string' ? unwrapOpaque(block.signature, 'anthropic') : undefined;
        if (carried?.role === 'call') {
          // A Gemini function-call signature carried in a thinking block: back onto its call.
          if (!attachCallSignature(parts, carried.signature)) addWarning(warnings, ORPHAN_CALL_SIGNATURE);
          return;
        }
        const part = decodeAssistantBlock(block, `${path}.content[${blockIndex}]`, warnings);
        if (!part) return;
        if (part.type === 'tool-call') toolNames.set(part.toolCallId, part.toolName);
        parts.push(part);
      });
      result.push({ role: 'assistant', parts });
      return;
    }
    if (role === 'system') {
      result.push({ role: 'system', parts: blocks.map((block, blockIndex) => {
        if (block.type !== 'text' || typeof block.text !== 'string') {
          throw new CodecError(`\`${path}.content[${blockIndex}]\`: a system message holds text blocks only.`, `${path}.content[${blockIndex}]`);
        }
        return textPart(block.text, block.cache_control);
      }) });
      return;
    }
    // A user turn: runs of tool_result blocks become `tool` messages, the rest `user` messages.
    let current: IrMessage | undefined;
    const push = (messageRole: 'user' | 'tool', part: IrPart) => {
      if (current?.role !== messageRole) {
        current = { role: messageRole, parts: [] };
        result.push(current);
      }
      current.parts.push(part);
    };
    if (blocks.length === 0) result.push({ role: 'user', parts: [] });
    blocks.forEach((block, blockIndex) => {
      const blockPath = `${path}.content[${blockIndex}]`;
      if (block.type === 'tool_result') {
        push('tool', decodeToolResult(block, blockPath, toolNames, warnings));
        return;
      }
      const part = decodeUserBlock(block, blockPath, warnings);
      if (part) push('user', part);
    });
  });
  return result;
}

function contentBlocks(content: unknown, path: string): Json[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw new CodecError(`\`${path}\`: a string or an array of content blocks is expected.`, path);
  return content.map((block, index) => {
    if (!isObject(block) || typeof block.type !== 'string') throw new CodecError(`\`${path}[${index}]\`: a content block with a \`type\` is expected.`, `${path}[${index}]`);
    return block;
  });
}

function decodeAssistantBlock(block: Json, path: string, warnings: IrWarning[]): IrPart | undefined {
  switch (block.type) {
    case 'text':
      return decodeTextBlock(block, path, warnings);
    case 'thinking': {
      if (typeof block.thinking !== 'string') throw new CodecError(`\`${path}.thinking\`: a string is expected.`, `${path}.thinking`);
      const part: IrReasoningPart = { type: 'reasoning', text: block.thinking };
      if (typeof block.signature === 'string' && block.signature !== '') part.signature = unwrapOpaque(block.signature, 'anthropic').signature;
      return part;
    }
    case 'redacted_thinking': {
      if (typeof block.data !== 'string') throw new CodecError(`\`${path}.data\`: a string is expected.`, `${path}.data`);
      return { type: 'reasoning', text: '', redacted: true, signature: unwrapOpaque(block.data, 'anthropic').signature };
    }
    case 'tool_use': {
      if (typeof block.id !== 'string' || typeof block.name !== 'string') {
        throw new CodecError(`\`${path}\`: a tool_use block needs a string \`id\` and \`name\`.`, path);
      }
      if (block.cache_control) addWarning(warnings, { type: 'dropped', feature: 'cache_control', details: 'on a tool_use block' });
      const part: IrToolCallPart = { type: 'tool-call', toolCallId: block.id, toolName: block.name, argumentsText: JSON.stringify(block.input ?? {}) };
      return part;
    }
    default:
      // Anything else takes the user-block path: kept when the IR can hold it, else dropped with a warning.
      return decodeUserBlock(block, path, warnings);
  }
}

function decodeUserBlock(block: Json, path: string, warnings: IrWarning[]): IrTextPart | IrFilePart | undefined {
  switch (block.type) {
    case 'text':
      return decodeTextBlock(block, path, warnings);
    case 'image':
      return decodeImageBlock(block, path);
    case 'document':
      return decodeDocumentBlock(block, path, warnings);
    default:
      addWarning(warnings, { type: 'dropped', feature: `content block ${String(block.type)}`, details: 'no IR equivalent' });
      return undefined;
  }
}

function decodeTextBlock(block: Json, path: string, warnings: IrWarning[]): IrTextPart {
  if (typeof block.text !== 'string') throw new CodecError(`\`${path}.text\`: a string is expected.`, `${path}.text`);
  if (Array.isArray(block.citations) && block.citations.length > 0) addWarning(warnings, { type: 'dropped', feature: 'citations' });
  return textPart(block.text, block.cache_control);
}

function decodeImageBlock(block: Json, path: string): IrFilePart {
  const source = block.source;
  if (!isObject(source)) throw new CodecError(`\`${path}.source\`: an image source is expected.`, `${path}.source`);
  let part: IrFilePart;
  if (source.type === 'base64' && typeof source.data === 'string' && typeof source.media_type === 'string') {
    part = { type: 'file', mediaType: source.media_type, source: { kind: 'base64', data: source.data } };
  } else if (source.type === 'url' && typeof source.url === 'string') {
    part = { type: 'file', source: { kind: 'url', url: source.url } };
  } else if (source.type === 'file' && typeof source.file_id === 'string') {
    part = { type: 'file', source: { kind: 'file-id', id: source.file_id } };
  } else {
    throw new CodecError(`\`${path}.source\`: expected a base64 (with media_type), url or file source.`, `${path}.source`);
  }
  const cacheControl = decodeCacheControl(block.cache_control);
  if (cacheControl) part.cacheControl = cacheControl;
  return part;
}

/** PDFs (base64, URL, Files API) and plain text become file parts; `content` sources are dropped. */
function decodeDocumentBlock(block: Json, path: string, warnings: IrWarning[]): IrFilePart | undefined {
  const source = block.source;
  if (!isObject(source)) throw new CodecError(`\`${path}.source\`: a document source is expected.`, `${path}.source`);
  let part: IrFilePart;
  if (source.type === 'base64' && typeof source.data === 'string') {
    part = { type: 'file', mediaType: typeof source.media_type === 'string' ? source.media_type : 'application/pdf', source: { kind: 'base64', data: source.data } };
  } else if (source.type === 'text' && typeof source.data === 'string') {
    part = { type: 'file', mediaType: 'text/plain', source: { kind: 'base64', data: Buffer.from(source.data, 'utf8').toString('base64') } };
  } else if (source.type === 'url' && typeof source.url === 'string') {
    part = { type: 'file', mediaType: 'application/pdf', source: { kind: 'url', url: source.url } };
  } else if (source.type === 'file' && typeof source.file_id === 'string') {
    part = { type: 'file', mediaType: 'application/pdf', source: { kind: 'file-id', id: source.file_id } };
  } else {
    addWarning(warnings, { type: 'dropped', feature: `document source ${String(source.type)}` });
    return undefined;
  }
  if (block.title !== undefined || block.context !== undefined || block.citations !== undefined) {
    addWarning(warnings, { type: 'dropped', feature: 'document title/context/citations' });
  }
  const cacheControl = decodeCacheControl(block.cache_control);
  if (cacheControl) part.cacheControl = cacheControl;
  return part;
}

function decodeToolResult(block: Json, path: string, toolNames: ReadonlyMap<string, string>, warnings: IrWarning[]): IrToolResultPart {
  if (typeof block.tool_use_id !== 'string') throw new CodecError(`\`${path}.tool_use_id\`: a string is expected.`, `${path}.tool_use_id`);
  const content: Array<IrTextPart | IrFilePart> = [];
  if (typeof block.content === 'string') {
    content.push({ type: 'text', text: block.content });
  } else if (Array.isArray(block.content)) {
    block.content.forEach((inner, index) => {
      const innerPath = `${path}.content[${index}]`;
      if (!isObject(inner) || typeof inner.type !== 'string') throw new CodecError(`\`${innerPath}\`: a content block is expected.`, innerPath);
      const part = decodeUserBlock(inner, innerPath, warnings);
      if (part) content.push(part);
    });
  } else if (block.content !== undefined && block.content !== null) {
    throw new CodecError(`\`${path}.content\`: a string or an array of blocks is expected.`, `${path}.content`);
  }
  const part: IrToolResultPart = { type: 'tool-result', toolCallId: block.tool_use_id, toolName: toolNames.get(block.tool_use_id) ?? '', content };
  if (block.is_error === true) part.isError = true;
  const cacheControl = decodeCacheControl(block.cache_control);
  if (cacheControl) part.cacheControl = cacheControl;
  return part;
}

function decodeSampling(body: Json): IrSampling {
  const sampling: IrSampling = {};
  const maxTokens = optionalNumber(body, 'max_tokens');
  if (maxTokens !== undefined) sampling.maxOutputTokens = maxTokens;
  const temperature = optionalNumber(body, 'temperature');
  if (temperature !== undefined) sampling.temperature = temperature;
  const topP = optionalNumber(body, 'top_p');
  if (topP !== undefined) sampling.topP = topP;
  const topK = optionalNumber(body, 'top_k');
  if (topK !== undefined) sampling.topK = topK;
  if (body.stop_sequences !== undefined && body.stop_sequences !== null) {
    if (!Array.isArray(body.stop_sequences) || !body.stop_sequences.every((s) => typeof s === 'string')) {
      throw new CodecError('`stop_sequences`: an array of strings is expected.', 'stop_sequences');
    }
    sampling.stop = body.stop_sequences as string[];
  }
  return sampling;
}

function decodeStream(stream: unknown): boolean {
  if (stream === undefined || stream === null) return false;
  if (typeof stream !== 'boolean') throw new CodecError('`stream`: a boolean is expected.', 'stream');
  return stream;
}

function decodeTools(tools: unknown, request: IrRequest, extras: Json, warnings: IrWarning[]): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) throw new CodecError('`tools`: an array is expected.', 'tools');
  const serverTools: Json[] = [];
  tools.forEach((tool, index) => {
    const path = `tools[${index}]`;
    if (!isObject(tool)) throw new CodecError(`\`${path}\`: a tool object is expected.`, path);
    if (isAnthropicWebSearchTool(tool.type)) {
      (request.serverTools ??= []).push(decodeAnthropicWebSearchTool(tool));
      return;
    }
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      // Server tools (web search, code execution, text editor…) exist only on Anthropic.
      serverTools.push(tool);
      addWarning(warnings, { type: 'unsupported', feature: `tool ${String(tool.type)}`, details: 'Anthropic server tool; kept for an Anthropic upstream only' });
      return;
    }
    if (typeof tool.name !== 'string' || tool.name === '') throw new CodecError(`\`${path}.name\`: a tool name is required.`, `${path}.name`);
    if (!isObject(tool.input_schema)) throw new CodecError(`\`${path}.input_schema\`: a JSON schema object is required.`, `${path}.input_schema`);
    const irTool: IrTool = { name: tool.name, parameters: tool.input_schema };
    if (typeof tool.description === 'string') irTool.description = tool.description;
    const cacheControl = decodeCacheControl(tool.cache_control);
    if (cacheControl) irTool.cacheControl = cacheControl;
    if (typeof tool.strict === 'boolean') irTool.strict = tool.strict;
    request.tools.push(irTool);
  });
  if (serverTools.length > 0) extras.serverTools = serverTools;
}

function decodeToolChoice(choice: unknown, request: IrRequest): void {
  if (choice === undefined || choice === null) return;
  if (!isObject(choice)) throw new CodecError('`tool_choice`: an object is expected.', 'tool_choice');
  let toolChoice: IrToolChoice;
  switch (choice.type) {
    case 'auto':
      toolChoice = { type: 'auto' };
      break;
    case 'any':
      toolChoice = { type: 'required' };
      break;
    case 'none':
      toolChoice = { type: 'none' };
      break;
    case 'tool':
      if (typeof choice.name !== 'string') throw new CodecError('`tool_choice.name`: a tool name is required.', 'tool_choice.name');
      toolChoice = { type: 'tool', name: choice.name };
      break;
    default:
      throw new CodecError(`\`tool_choice.type\`: expected auto, any, tool or none, got ${JSON.stringify(choice.type)}.`, 'tool_choice.type');
  }
  request.toolChoice = toolChoice;
  if (typeof choice.disable_parallel_tool_use === 'boolean') request.parallelToolCalls = !choice.disable_parallel_tool_use;
}

/**
 * `thinking` (+ `output_config.effort`) → IR reasoning. `enabled` keeps the exact budget and
 * derives an effort (table in reasoning-budget.ts); `adaptive` has no budget, so the raw
 * config is kept in extras for an Anthropic upstream; `display: 'omitted'` → includeThoughts false.
 */
function decodeThinking(thinking: unknown, outputConfig: unknown, extras: Json, warnings: IrWarning[]): IrReasoningConfig | undefined {
  let reasoning: IrReasoningConfig | undefined;
  if (thinking !== undefined && thinking !== null) {
    if (!isObject(thinking)) throw new CodecError('`thinking`: an object is expected.', 'thinking');
    switch (thinking.type) {
      case 'enabled': {
        if (typeof thinking.budget_tokens !== 'number') throw new CodecError('`thinking.budget_tokens`: a number is required.', 'thinking.budget_tokens');
        reasoning = { budgetTokens: thinking.budget_tokens, effort: effortForBudget(thinking.budget_tokens) };
        break;
      }
      case 'disabled':
        reasoning = { disabled: true, effort: 'none' };
        break;
      default:
        // `adaptive`, `between_tools` and later types: no IR budget; kept verbatim.
        extras.thinking = thinking;
        reasoning = {};
        addWarning(warnings, { type: 'coerced', feature: 'thinking', details: `type ${String(thinking.type)} has no budget; other families use their default` });
    }
    if (thinking.display === 'omitted') reasoning.includeThoughts = false;
    else if (thinking.display === 'summarized') reasoning.includeThoughts = true;
  }
  if (isObject(outputConfig) && typeof outputConfig.effort === 'string') {
    const effort = outputConfig.effort;
    reasoning ??= {};
    if (effort === 'low' || effort === 'medium' || effort === 'high' || effort === 'xhigh') reasoning.effort = effort;
    else if (effort === 'max') {
      reasoning.effort = 'xhigh';
      addWarning(warnings, { type: 'coerced', feature: 'output_config.effort', details: 'max → xhigh for other families' });
    }
  }
  return reasoning;
}

/** `output_config.format` → responseFormat; the rest of `output_config` (effort…) stays in extras. */
function decodeOutputFormat(outputConfig: unknown, outputFormat: unknown, extras: Json): IrResponseFormat | undefined {
  if (outputConfig !== undefined && outputConfig !== null) {
    if (!isObject(outputConfig)) throw new CodecError('`output_config`: an object is expected.', 'output_config');
    const rest: Json = {};
    // `effort` is both mapped to the IR and kept, so an Anthropic upstream gets it back as sent.
    for (const [key, value] of Object.entries(outputConfig)) if (key !== 'format') rest[key] = value;
    if (Object.keys(rest).length > 0) extras.output_config = rest;
  }
  // `output_format` is the structured-outputs beta spelling of `output_config.format`.
  const format = isObject(outputConfig) && isObject(outputConfig.format) ? outputConfig.format : isObject(outputFormat) ? outputFormat : undefined;
  if (!format) return undefined;
  if (format.type !== 'json_schema' || !isObject(format.schema)) {
    throw new CodecError('`output_config.format`: expected {type: "json_schema", schema}.', 'output_config.format');
  }
  return { type: 'json-schema', schema: format.schema };
}

function decodeMetadata(metadata: unknown, request: IrRequest, extras: Json): void {
  if (metadata === undefined || metadata === null) return;
  if (!isObject(metadata)) throw new CodecError('`metadata`: an object is expected.', 'metadata');
  const rest: Json = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (key === 'user_id' && typeof value === 'string') request.user = value;
    else if (!(key === 'user_id' && value === null)) rest[key] = value;
  }
  if (Object.keys(rest).length > 0) extras.metadata = rest;
}

function textPart(text: string, cacheControlValue: unknown): IrTextPart {
  const part: IrTextPart = { type: 'text', text };
  const cacheControl = decodeCacheControl(cacheControlValue);
  if (cacheControl) part.cacheControl = cacheControl;
  return part;
}

export function decodeCacheControl(value: unknown): IrCacheControl | undefined {
  if (!isObject(value) || value.type !== 'ephemeral') return undefined;
  return typeof value.ttl === 'string' ? { type: 'ephemeral', ttl: value.ttl } : { type: 'ephemeral' };
}

function optionalNumber(body: Json, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new CodecError(`\`${field}\`: a number is expected.`, field);
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
