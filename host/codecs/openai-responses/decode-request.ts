import type { IrCacheControl, IrFilePart, IrPart, IrReasoningPart, IrTextPart, IrToolCallPart, IrToolResultPart } from '../../ir/ir-part.js';
import type { IrMessage, IrReasoningConfig, IrRequest, IrResponseFormat, IrSampling, IrServerTool, IrTool, IrToolChoice } from '../../ir/ir-request.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { CodecError, type DecodeContext } from '../codec-types.js';
import { attachCallSignature, ORPHAN_CALL_SIGNATURE, unwrapOpaque } from '../shared/opaque-signature.js';
import { freeformArguments, freeformToolToIr } from './freeform-tools.js';
import { decodeResponsesWebSearchTool, isResponsesWebSearchTool } from './web-search.js';

/**
 * A Responses `POST /v1/responses` body → IR request.
 *
 * - `instructions` and the leading system/developer input messages become IR instructions; later
 *   ones stay in place as `system` messages (a developer turn keeps `{role: 'developer'}` in extras).
 * - Consecutive assistant messages, reasoning items and function calls fold into one assistant
 *   message; consecutive `function_call_output` items into one tool message, each result named
 *   after its earlier call.
 * - `previous_response_id` is accepted only when the route has already expanded it from
 *   Localgate's response store (`context.responses`), so `input` holds the whole conversation;
 *   other stateful features (`conversation`, `prompt`, `background`) are refused: a client
 *   relying on them would silently lose context. `store` and `previous_response_id` are echoed as
 *   the route decided.
 * - Custom (free-form) tools, like Codex's `apply_patch`, become function tools with one string
 *   parameter (freeform-tools.ts); their `custom_tool_call` items become tool calls.
 * - `web_search` (and `web_search_preview`) becomes an IR web-search server tool: the upstream
 *   family runs its own search, or drops it with a warning (web-search.ts).
 * - Other hosted tools (file_search, computer_use, code_interpreter, local_shell, mcp…) cannot
 *   run on the upstreams Localgate translates to: dropped with an `unsupported` warning.
 * - Everything else without an IR meaning is kept under `extras['openai-responses']`, by wire name.
 * @see https://platform.openai.com/docs/api-reference/responses/create
 */
export function decodeOpenAIResponsesRequest(body: unknown, context: DecodeContext): IrRequest {
  if (!isRecord(body)) throw new CodecError('The request body must be a JSON object.');
  const warnings: IrWarning[] = [];
  const extras: Record<string, unknown> = {};

  refuseStatefulFeatures(body, context.responses?.previousResponseId);

  const model = body.model ?? context.model;
  if (typeof model !== 'string' || model === '') throw new CodecError('`model` must be a non-empty string.', 'model');

  const instructions: IrTextPart[] = [];
  if (body.instructions !== undefined && body.instructions !== null) {
    if (typeof body.instructions !== 'string') throw new CodecError('`instructions` must be a string.', 'instructions');
    extras.instructions = body.instructions;
    if (body.instructions !== '') instructions.push({ type: 'text', text: body.instructions });
  }

  const messages = decodeInput(body.input, instructions, warnings, extras);
  const serverTools: IrServerTool[] = [];
  const tools = decodeTools(body.tools, serverTools, warnings, extras);
  const toolChoice = decodeToolChoice(body.tool_choice, warnings, extras);
  const sampling = decodeSampling(body);
  const reasoning = decodeReasoning(body.reasoning, extras);
  const responseFormat = decodeTextConfig(body.text, warnings, extras);

  const stream = optionalBoolean(body.stream, 'stream') ?? context.stream ?? false;
  const parallelToolCalls = optionalBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  const stored = context.responses?.stored ?? false;
  if (body.store === true && !stored) {
    warnings.push({ type: 'unsupported', feature: 'store', details: 'Localgate keeps no responses here (responses_store_size is 0); `store: true` is ignored.' });
  }
  extras.store = stored;
  extras.previous_response_id = context.responses?.previousResponseId ?? null;
  const user = body.user;
  if (user !== undefined && user !== null && typeof user !== 'string') throw new CodecError('`user` must be a string.', 'user');

  for (const [key, value] of Object.entries(body)) {
    if (!HANDLED_FIELDS.has(key) && value !== undefined) extras[key] = value;
  }

  const request: IrRequest = {
    model,
    instructions,
    messages,
    tools,
    sampling,
    stream,
    extras: { 'openai-responses': extras },
    warnings,
  };
  if (serverTools.length > 0) request.serverTools = serverTools;
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  if (parallelToolCalls !== undefined) request.parallelToolCalls = parallelToolCalls;
  if (reasoning !== undefined) request.reasoning = reasoning;
  if (responseFormat !== undefined) request.responseFormat = responseFormat;
  if (typeof user === 'string') request.user = user;
  // Responses always reports usage (in `response.completed`), so the upstream must be asked for it.
  if (stream) request.includeUsage = true;
  return request;
}

/** Fields mapped to the IR (or echoed from `extras` by the encoders), not copied into extras as-is. */
const HANDLED_FIELDS = new Set([
  'model',
  'instructions',
  'input',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'max_output_tokens',
  'temperature',
  'top_p',
  'reasoning',
  'text',
  'stream',
  'user',
  'store',
  'previous_response_id',
]);

// ---------------------------------------------------------------------------------------------
// Stateful features
// ---------------------------------------------------------------------------------------------

function refuseStatefulFeatures(body: Record<string, unknown>, expandedFrom: string | undefined): void {
  const present = (value: unknown): boolean => value !== undefined && value !== null;
  if (present(body.previous_response_id) && body.previous_response_id !== expandedFrom) {
    throw new CodecError(
      '`previous_response_id` needs the earlier conversation, and Localgate has not put it in `input`. Send the whole conversation in `input` (and set `store: false`).',
      'previous_response_id',
    );
  }
  if (present(body.conversation)) {
    throw new CodecError(
      '`conversation` is not supported: Localgate is stateless and keeps no conversations. Send the whole conversation in `input`.',
      'conversation',
    );
  }
  if (present(body.prompt)) {
    throw new CodecError('`prompt` (a stored prompt template) is not supported: Localgate keeps no stored prompts. Send the prompt text in `instructions` and `input`.', 'prompt');
  }
  if (body.background === true) {
    throw new CodecError('`background: true` is not supported: Localgate keeps no responses to poll. Use `stream: true` or a plain request.', 'background');
  }
}

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

function decodeInput(input: unknown, instructions: IrTextPart[], warnings: IrWarning[], extras: Record<string, unknown>): IrMessage[] {
  if (input === undefined || input === null) throw new CodecError('`input` is required.', 'input');
  if (typeof input === 'string') return [{ role: 'user', parts: [{ type: 'text', text: input }] }];
  if (!Array.isArray(input)) throw new CodecError('`input` must be a string or an array of input items.', 'input');

  const messages: IrMessage[] = [];
  const toolNames = new Map<string, string>();
  const unsupportedItems: unknown[] = [];
  /** The assistant or tool message consecutive items are folded into; undefined after any other turn. */
  let group: IrMessage | undefined;
  let leading = true;

  const appendTo = (role: 'assistant' | 'tool', parts: IrPart[]): void => {
    if (group === undefined || group.role !== role) {
      group = { role, parts: [] };
      messages.push(group);
    }
    group.parts.push(...parts);
  };

  input.forEach((item: unknown, index) => {
    const path = `input[${index}]`;
    if (!isRecord(item)) throw new CodecError(`\`${path}\` must be an object.`, path);
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
    switch (type) {
      case 'message': {
        const role = item.role;
        if (role === 'assistant') {
          leading = false;
          appendTo('assistant', decodeAssistantContent(item.content, path, warnings));
          return;
        }
        if (role !== 'user' && role !== 'system' && role !== 'developer') {
          throw new CodecError(`\`${path}.role\` must be one of user, assistant, system, developer.`, `${path}.role`);
        }
        const parts = decodeContent(item.content, path, warnings);
        group = undefined;
        if (role === 'user') {
          leading = false;
          messages.push({ role: 'user', parts });
          return;
        }
        if (leading && parts.every((part) => part.type === 'text')) {
          instructions.push(...(parts as IrTextPart[]));
          return;
        }
        leading = false;
        const message: IrMessage = { role: 'system', parts };
        if (role === 'developer') message.extras = { 'openai-responses': { role: 'developer' } };
        messages.push(message);
        return;
      }
      case 'function_call': {
        leading = false;
        const call = decodeFunctionCall(item, path);
        toolNames.set(call.toolCallId, call.toolName);
        appendTo('assistant', [call]);
        return;
      }
      case 'custom_tool_call': {
        leading = false;
        const call: IrToolCallPart = {
          type: 'tool-call',
          toolCallId: requireString(item.call_id, `${path}.call_id`),
          toolName: requireString(item.name, `${path}.name`),
          argumentsText: freeformArguments(requireString(item.input, `${path}.input`)),
        };
        toolNames.set(call.toolCallId, call.toolName);
        appendTo('assistant', [call]);
        return;
      }
      case 'custom_tool_call_output':
      case 'function_call_output': {
        leading = false;
        appendTo('tool', [decodeFunctionCallOutput(item, path, toolNames, warnings)]);
        return;
      }
      case 'reasoning': {
        leading = false;
        const carried = typeof item.encrypted_content === 'string' ? unwrapOpaque(item.encrypted_content, 'openai') : undefined;
        if (carried?.role === 'call') {
          // A Gemini function-call signature carried in a reasoning item: back onto its call.
          if (group?.role !== 'assistant' || !attachCallSignature(group.parts, carried.signature)) warnings.push(ORPHAN_CALL_SIGNATURE);
          return;
        }
        appendTo('assistant', [decodeReasoningItem(item, path)]);
        return;
      }
      default: {
        // item_reference (needs stored items), hosted-tool calls and their outputs (local_shell_call,
        // custom_tool_call, web_search_call…): nothing an upstream outside OpenAI can replay.
        unsupportedItems.push(item);
        warnings.push({
          type: 'unsupported',
          feature: `input.${typeof type === 'string' ? type : 'unknown'}`,
          details: `${path} was dropped: Localgate cannot translate this item type.`,
        });
      }
    }
  });

  if (unsupportedItems.length > 0) extras.unsupported_input_items = unsupportedItems;
  return messages;
}

function decodeFunctionCall(item: Record<string, unknown>, path: string): IrToolCallPart {
  const callId = requireString(item.call_id, `${path}.call_id`);
  const name = requireString(item.name, `${path}.name`);
  const argumentsText = item.arguments;
  if (typeof argumentsText !== 'string') throw new CodecError(`\`${path}.arguments\` must be a JSON string.`, `${path}.arguments`);
  return { type: 'tool-call', toolCallId: callId, toolName: name, argumentsText };
}

function decodeFunctionCallOutput(item: Record<string, unknown>, path: string, toolNames: Map<string, string>, warnings: IrWarning[]): IrToolResultPart {
  const callId = requireString(item.call_id, `${path}.call_id`);
  const output = item.output;
  let content: Array<IrTextPart | IrFilePart>;
  if (typeof output === 'string') content = [{ type: 'text', text: output }];
  else if (Array.isArray(output)) content = decodeContent(output, `${path}.output`, warnings) as Array<IrTextPart | IrFilePart>;
  else throw new CodecError(`\`${path}.output\` must be a string or an array of content parts.`, `${path}.output`);
  const toolName = toolNames.get(callId);
  if (toolName === undefined) {
    warnings.push({ type: 'coerced', feature: 'function_call_output', details: `${path}: no earlier function_call has call_id ${callId}; the tool name is left empty.` });
  }
  return { type: 'tool-result', toolCallId: callId, toolName: toolName ?? '', content };
}

function decodeReasoningItem(item: Record<string, unknown>, path: string): IrReasoningPart {
  const summary = item.summary;
  if (summary !== undefined && summary !== null && !Array.isArray(summary)) throw new CodecError(`\`${path}.summary\` must be an array.`, `${path}.summary`);
  let text = joinTexts(summary, 'summary_text');
  // Open-weight models send raw reasoning as `content: [{type: 'reasoning_text'}]` and no summary.
  if (text === '' && Array.isArray(item.content)) text = joinTexts(item.content, 'reasoning_text');
  const part: IrReasoningPart = { type: 'reasoning', text };
  const encrypted = item.encrypted_content;
  if (typeof encrypted === 'string' && encrypted !== '') {
    const decoded = unwrapOpaque(encrypted, 'openai');
    part.signature = decoded.signature;
    if (decoded.role === 'redacted') part.redacted = true;
  }
  return part;
}

function joinTexts(parts: unknown, type: string): string {
  if (!Array.isArray(parts)) return '';
  const texts: string[] = [];
  for (const part of parts) if (isRecord(part) && part.type === type && typeof part.text === 'string') texts.push(part.text);
  return texts.join('\n\n');
}

/** User, system and developer content, and function-call outputs. */
function decodeContent(content: unknown, path: string, warnings: IrWarning[]): IrPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw new CodecError(`\`${path}.content\` must be a string or an array of content parts.`, `${path}.content`);
  const parts: IrPart[] = [];
  content.forEach((part: unknown, index) => {
    const partPath = `${path}.content[${index}]`;
    if (!isRecord(part)) throw new CodecError(`\`${partPath}\` must be an object.`, partPath);
    switch (part.type) {
      case 'input_text':
      case 'output_text':
      case 'text': {
        const text: IrTextPart = { type: 'text', text: requireString(part.text, `${partPath}.text`) };
        withCacheBreakpoint(text, part);
        parts.push(text);
        return;
      }
      case 'input_image':
        parts.push(decodeInputImage(part, partPath, warnings));
        return;
      case 'input_file':
        parts.push(decodeInputFile(part, partPath, warnings));
        return;
      default:
        warnings.push({ type: 'unsupported', feature: `content.${String(part.type)}`, details: `${partPath} was dropped.` });
    }
  });
  return parts;
}

function decodeAssistantContent(content: unknown, path: string, warnings: IrWarning[]): IrPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw new CodecError(`\`${path}.content\` must be a string or an array of content parts.`, `${path}.content`);
  const parts: IrPart[] = [];
  content.forEach((part: unknown, index) => {
    const partPath = `${path}.content[${index}]`;
    if (!isRecord(part)) throw new CodecError(`\`${partPath}\` must be an object.`, partPath);
    if (part.type === 'output_text' || part.type === 'input_text' || part.type === 'text') {
      parts.push({ type: 'text', text: requireString(part.text, `${partPath}.text`) });
    } else if (part.type === 'refusal') {
      parts.push({ type: 'text', text: requireString(part.refusal, `${partPath}.refusal`) });
      warnings.push({ type: 'coerced', feature: 'refusal', details: `${partPath}: an assistant refusal is sent as plain text.` });
    } else {
      warnings.push({ type: 'unsupported', feature: `content.${String(part.type)}`, details: `${partPath} was dropped.` });
    }
  });
  return parts;
}

function decodeInputImage(part: Record<string, unknown>, path: string, warnings: IrWarning[]): IrFilePart {
  if (part.detail !== undefined && part.detail !== null && part.detail !== 'auto') {
    warnings.push({ type: 'dropped', feature: 'input_image.detail', details: `${path}: detail "${String(part.detail)}" has no equivalent upstream.` });
  }
  let file: IrFilePart;
  if (typeof part.image_url === 'string' && part.image_url !== '') file = fileFromUrl(part.image_url, path);
  else if (typeof part.file_id === 'string' && part.file_id !== '') file = { type: 'file', source: { kind: 'file-id', id: part.file_id } };
  else throw new CodecError(`\`${path}\` needs an \`image_url\` or a \`file_id\`.`, path);
  withCacheBreakpoint(file, part);
  return file;
}

function decodeInputFile(part: Record<string, unknown>, path: string, warnings: IrWarning[]): IrFilePart {
  const filename = typeof part.filename === 'string' ? part.filename : undefined;
  let file: IrFilePart;
  if (typeof part.file_data === 'string' && part.file_data !== '') {
    if (part.file_data.startsWith('data:')) file = fileFromUrl(part.file_data, path);
    else file = { type: 'file', source: { kind: 'base64', data: part.file_data } };
  } else if (typeof part.file_url === 'string' && part.file_url !== '') {
    file = fileFromUrl(part.file_url, path);
  } else if (typeof part.file_id === 'string' && part.file_id !== '') {
    file = { type: 'file', source: { kind: 'file-id', id: part.file_id } };
  } else {
    throw new CodecError(`\`${path}\` needs \`file_data\`, \`file_url\` or \`file_id\`.`, path);
  }
  if (file.mediaType === undefined && filename !== undefined) {
    const guessed = mediaTypeForFilename(filename);
    if (guessed !== undefined) file.mediaType = guessed;
  }
  if (filename !== undefined) warnings.push({ type: 'dropped', feature: 'input_file.filename', details: `${path}: the filename is not forwarded.` });
  withCacheBreakpoint(file, part);
  return file;
}

/** A `data:` URI becomes base64 bytes; any other URL stays a URL (the proxy never fetches it). */
function fileFromUrl(url: string, path: string): IrFilePart {
  if (!url.startsWith('data:')) return { type: 'file', source: { kind: 'url', url } };
  const comma = url.indexOf(',');
  if (comma < 0) throw new CodecError(`\`${path}\` has a malformed data URI.`, path);
  const header = url.slice(5, comma);
  const isBase64 = header.endsWith(';base64');
  const mediaType = (isBase64 ? header.slice(0, -7) : header).split(';')[0] ?? '';
  const payload = url.slice(comma + 1);
  const data = isBase64 ? payload : Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
  const file: IrFilePart = { type: 'file', source: { kind: 'base64', data } };
  if (mediaType !== '') file.mediaType = mediaType;
  return file;
}

const MEDIA_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

function mediaTypeForFilename(filename: string): string | undefined {
  const dot = filename.lastIndexOf('.');
  return dot < 0 ? undefined : MEDIA_TYPES[filename.slice(dot + 1).toLowerCase()];
}

/** `prompt_cache_breakpoint: {mode: 'explicit'}` is OpenAI's cache breakpoint on a content part. */
function withCacheBreakpoint(part: { cacheControl?: IrCacheControl }, wire: Record<string, unknown>): void {
  const breakpoint = wire.prompt_cache_breakpoint;
  if (isRecord(breakpoint) && breakpoint.mode === 'explicit') part.cacheControl = { type: 'ephemeral' };
}

// ---------------------------------------------------------------------------------------------
// Tools
// ---------------------------------------------------------------------------------------------

function decodeTools(tools: unknown, serverTools: IrServerTool[], warnings: IrWarning[], extras: Record<string, unknown>): IrTool[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw new CodecError('`tools` must be an array.', 'tools');
  const decoded: IrTool[] = [];
  const unsupported: unknown[] = [];
  tools.forEach((tool: unknown, index) => {
    const path = `tools[${index}]`;
    if (!isRecord(tool)) throw new CodecError(`\`${path}\` must be an object.`, path);
    if (tool.type === 'custom') {
      const description = tool.description;
      if (description !== undefined && typeof description !== 'string') throw new CodecError(`\`${path}.description\` must be a string.`, `${path}.description`);
      decoded.push(freeformToolToIr(requireString(tool.name, `${path}.name`), description, tool.format));
      return;
    }
    if (isResponsesWebSearchTool(tool.type)) {
      serverTools.push(decodeResponsesWebSearchTool(tool));
      return;
    }
    if (tool.type !== 'function') {
      unsupported.push(tool);
      warnings.push({
        type: 'unsupported',
        feature: `tools.${String(tool.type)}`,
        details: `${path} was dropped: hosted OpenAI tools cannot run on a translated upstream.`,
      });
      return;
    }
    const name = requireString(tool.name, `${path}.name`);
    const parameters = tool.parameters;
    if (parameters !== undefined && parameters !== null && !isRecord(parameters)) throw new CodecError(`\`${path}.parameters\` must be a JSON Schema object.`, `${path}.parameters`);
    const irTool: IrTool = { name, parameters: parameters ?? { type: 'object', properties: {} } };
    if (typeof tool.description === 'string') irTool.description = tool.description;
    if (typeof tool.strict === 'boolean') irTool.strict = tool.strict;
    decoded.push(irTool);
  });
  if (unsupported.length > 0) extras.unsupported_tools = unsupported;
  return decoded;
}

function decodeToolChoice(choice: unknown, warnings: IrWarning[], extras: Record<string, unknown>): IrToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { type: choice };
  if (!isRecord(choice)) throw new CodecError('`tool_choice` must be "auto", "none", "required" or an object.', 'tool_choice');
  if (choice.type === 'function') return { type: 'tool', name: requireString(choice.name, 'tool_choice.name') };
  extras.tool_choice = choice;
  if (choice.type === 'allowed_tools' && (choice.mode === 'auto' || choice.mode === 'required')) {
    warnings.push({ type: 'coerced', feature: 'tool_choice.allowed_tools', details: `Sent as "${choice.mode}" over every declared tool.` });
    return { type: choice.mode };
  }
  warnings.push({ type: 'unsupported', feature: `tool_choice.${String(choice.type)}`, details: 'Dropped; the upstream chooses tools freely.' });
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Sampling, reasoning, output format
// ---------------------------------------------------------------------------------------------

function decodeSampling(body: Record<string, unknown>): IrSampling {
  const sampling: IrSampling = {};
  const maxOutputTokens = optionalNumber(body.max_output_tokens, 'max_output_tokens');
  if (maxOutputTokens !== undefined) {
    if (!Number.isInteger(maxOutputTokens) || maxOutputTokens < 1) throw new CodecError('`max_output_tokens` must be a positive integer.', 'max_output_tokens');
    sampling.maxOutputTokens = maxOutputTokens;
  }
  const temperature = optionalNumber(body.temperature, 'temperature');
  if (temperature !== undefined) sampling.temperature = temperature;
  const topP = optionalNumber(body.top_p, 'top_p');
  if (topP !== undefined) sampling.topP = topP;
  return sampling;
}

const EFFORTS = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
const SUMMARIES = new Set(['auto', 'concise', 'detailed']);

function decodeReasoning(reasoning: unknown, extras: Record<string, unknown>): IrReasoningConfig | undefined {
  if (reasoning === undefined || reasoning === null) return undefined;
  if (!isRecord(reasoning)) throw new CodecError('`reasoning` must be an object.', 'reasoning');
  extras.reasoning = reasoning;
  const config: IrReasoningConfig = {};
  const effort = reasoning.effort;
  if (effort !== undefined && effort !== null) {
    if (typeof effort !== 'string' || !EFFORTS.has(effort)) throw new CodecError('`reasoning.effort` must be one of none, minimal, low, medium, high, xhigh.', 'reasoning.effort');
    config.effort = effort as NonNullable<IrReasoningConfig['effort']>;
    if (effort === 'none') config.disabled = true;
  }
  const summary = reasoning.summary ?? reasoning.generate_summary;
  if (summary !== undefined && summary !== null) {
    if (typeof summary !== 'string' || !SUMMARIES.has(summary)) throw new CodecError('`reasoning.summary` must be one of auto, concise, detailed.', 'reasoning.summary');
    // A summary is the only form in which Responses returns reasoning text.
    config.includeThoughts = true;
  }
  return Object.keys(config).length > 0 ? config : undefined;
}

function decodeTextConfig(text: unknown, warnings: IrWarning[], extras: Record<string, unknown>): IrResponseFormat | undefined {
  if (text === undefined || text === null) return undefined;
  if (!isRecord(text)) throw new CodecError('`text` must be an object.', 'text');
  extras.text = text;
  const format = text.format;
  if (format === undefined || format === null) return undefined;
  if (!isRecord(format)) throw new CodecError('`text.format` must be an object.', 'text.format');
  switch (format.type) {
    case 'text':
      return { type: 'text' };
    case 'json_object':
      return { type: 'json' };
    case 'json_schema': {
      if (!isRecord(format.schema)) throw new CodecError('`text.format.schema` must be a JSON Schema object.', 'text.format.schema');
      const responseFormat: IrResponseFormat = { type: 'json-schema', schema: format.schema };
      if (typeof format.name === 'string') responseFormat.name = format.name;
      if (typeof format.strict === 'boolean') responseFormat.strict = format.strict;
      if (typeof format.description === 'string') {
        warnings.push({ type: 'dropped', feature: 'text.format.description', details: 'The schema description is not forwarded.' });
      }
      return responseFormat;
    }
    default:
      throw new CodecError('`text.format.type` must be text, json_object or json_schema.', 'text.format.type');
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new CodecError(`\`${path}\` must be a string.`, path);
  return value;
}

function optionalNumber(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new CodecError(`\`${path}\` must be a number.`, path);
  return value;
}

function optionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new CodecError(`\`${path}\` must be a boolean.`, path);
  return value;
}
