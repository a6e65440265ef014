import type { IrCacheControl, IrFilePart, IrPart, IrTextPart, IrToolCallPart, IrToolResultPart } from '../../ir/ir-part.js';
import type { IrMessage, IrReasoningConfig, IrRequest, IrResponseFormat, IrSampling, IrTool, IrToolChoice } from '../../ir/ir-request.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { CodecError, type DecodeContext } from '../codec-types.js';
import { audioMediaType, mediaTypeFromName, parseDataUrl } from './data-url.js';
import { signatureFromExtraContent } from './google-extra-content.js';
import { OPENAI_CHAT, type OpenAIChatMessageExtras, type OpenAIChatRequestExtras } from './wire.js';

/**
 * A Chat Completions request body → IR.
 *
 * - Leading `system` / `developer` messages become `instructions`; later ones stay in place as IR
 *   `system` messages (their role kept in the message extras).
 * - `max_tokens` and `max_completion_tokens` both become `sampling.maxOutputTokens`; which one the
 *   client used is kept in extras.
 * - Assistant `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter, Ollama) becomes an
 *   IrReasoningPart placed before the text.
 * - Tool results get `toolName` from the matching earlier call.
 * - Whatever the IR cannot say (logprobs, metadata, prompt_cache_key, store, n, image `detail`…) is
 *   kept in `extras['openai-chat']` for an OpenAI-bound encoder; every other encoder drops it.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export function decodeOpenAIChatRequest(body: unknown, context: DecodeContext): IrRequest {
  if (!isRecord(body)) throw new CodecError('The request body must be a JSON object');
  return new RequestDecoder(body, context).decode();
}

/** Top-level fields the IR carries; every other field goes to `extras['openai-chat'].fields`. */
const HANDLED_FIELDS = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'functions',
  'function_call',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'reasoning_effort',
  'response_format',
  'stream',
  'stream_options',
  'user',
]);

const EFFORTS = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);

class RequestDecoder {
  readonly #body: Record<string, unknown>;
  readonly #context: DecodeContext;
  readonly #warnings: IrWarning[] = [];
  readonly #extras: OpenAIChatRequestExtras = {};
  /** Tool call id → function name, to fill IrToolResultPart.toolName. */
  readonly #toolNames = new Map<string, string>();
  /** Legacy `function_call`s waiting for their `role: 'function'` result, oldest first. */
  readonly #pendingLegacyCalls: Array<{ id: string; name: string }> = [];

  constructor(body: Record<string, unknown>, context: DecodeContext) {
    this.#body = body;
    this.#context = context;
  }

  decode(): IrRequest {
    const body = this.#body;
    const model = typeof body.model === 'string' && body.model ? body.model : this.#context.model;
    if (!model) throw new CodecError('`model` is required and must be a string', 'model');
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      throw new CodecError('`messages` is required and must be a non-empty array', 'messages');
    }

    const { instructions, messages } = this.#decodeMessages(body.messages);
    const tools = this.#decodeTools();
    const request: IrRequest = {
      model,
      instructions,
      messages,
      tools,
      sampling: this.#decodeSampling(),
      stream: body.stream === true,
      extras: {},
      warnings: this.#warnings,
    };
    const toolChoice = this.#decodeToolChoice();
    if (toolChoice) request.toolChoice = toolChoice;
    if (typeof body.parallel_tool_calls === 'boolean') request.parallelToolCalls = body.parallel_tool_calls;
    const reasoning = this.#decodeReasoning();
    if (reasoning) request.reasoning = reasoning;
    const responseFormat = this.#decodeResponseFormat();
    if (responseFormat) request.responseFormat = responseFormat;
    this.#decodeStreamOptions(request);
    if (body.user !== undefined) {
      if (typeof body.user !== 'string') throw new CodecError('`user` must be a string', 'user');
      request.user = body.user;
    }

    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(body)) {
      if (!HANDLED_FIELDS.has(key)) fields[key] = body[key];
    }
    if (typeof fields.n === 'number' && fields.n > 1) {
      this.#warnings.push({ type: 'unsupported', feature: 'n', details: `n=${fields.n}: only one choice is returned across protocols` });
    }
    if (Object.keys(fields).length > 0) this.#extras.fields = fields;
    if (Object.keys(this.#extras).length > 0) request.extras[OPENAI_CHAT] = this.#extras as Record<string, unknown>;
    return request;
  }

  // ---- messages -------------------------------------------------------------------------

  #decodeMessages(rawMessages: unknown[]): { instructions: IrTextPart[]; messages: IrMessage[] } {
    const instructions: IrTextPart[] = [];
    const messages: IrMessage[] = [];
    const layout: Array<{ role: 'system' | 'developer'; parts: number; string: boolean }> = [];
    let leading = true;
    rawMessages.forEach((raw, i) => {
      const path = `messages[${i}]`;
      if (!isRecord(raw)) throw new CodecError(`\`${path}\` must be an object`, path);
      const role = raw.role;
      if (role === 'system' || role === 'developer') {
        const parts = this.#textParts(raw.content, `${path}.content`, raw);
        if (leading) {
          instructions.push(...parts);
          layout.push({ role, parts: parts.length, string: typeof raw.content === 'string' });
          return;
        }
        const extras: OpenAIChatMessageExtras = {};
        if (role === 'developer') extras.role = 'developer';
        if (Array.isArray(raw.content)) extras.contentAsParts = true;
        this.#keepMessageFields(raw, ['role', 'content', 'cache_control'], extras);
        messages.push(withExtras({ role: 'system', parts }, extras));
        return;
      }
      leading = false;
      switch (role) {
        case 'user':
          messages.push(this.#decodeUser(raw, path));
          return;
        case 'assistant':
          messages.push(this.#decodeAssistant(raw, path, i));
          return;
        case 'tool':
          messages.push(this.#decodeTool(raw, path));
          return;
        case 'function':
          messages.push(this.#decodeLegacyFunctionResult(raw, path));
          return;
        default:
          throw new CodecError(`\`${path}.role\` must be one of system, developer, user, assistant, tool (got ${JSON.stringify(role)})`, `${path}.role`);
      }
    });
    // Keep how the instructions were laid out (roles, string vs parts) only when it is not the default.
    if (layout.length > 1 || layout.some((entry) => entry.role === 'developer' || !entry.string || entry.parts !== 1)) {
      this.#extras.instructionLayout = layout;
    }
    return { instructions, messages };
  }

  #decodeUser(raw: Record<string, unknown>, path: string): IrMessage {
    const extras: OpenAIChatMessageExtras = {};
    const parts = this.#contentParts(raw.content, `${path}.content`, extras, raw);
    this.#keepMessageFields(raw, ['role', 'content', 'cache_control'], extras);
    return withExtras({ role: 'user', parts }, extras);
  }

  #decodeAssistant(raw: Record<string, unknown>, path: string, messageIndex: number): IrMessage {
    const extras: OpenAIChatMessageExtras = {};
    const parts: IrPart[] = [];
    const reasoningField = typeof raw.reasoning_content === 'string' ? 'reasoning_content' : typeof raw.reasoning === 'string' ? 'reasoning' : undefined;
    if (reasoningField) {
      extras.reasoningField = reasoningField;
      const text = raw[reasoningField] as string;
      if (text) parts.push({ type: 'reasoning', text });
    }
    if (raw.content !== undefined && raw.content !== null) {
      if (typeof raw.content === 'string') {
        if (raw.content) parts.push(this.#withMessageCache({ type: 'text', text: raw.content }, raw));
      } else if (Array.isArray(raw.content)) {
        extras.contentAsParts = true;
        raw.content.forEach((part, j) => {
          const partPath = `${path}.content[${j}]`;
          if (!isRecord(part)) throw new CodecError(`\`${partPath}\` must be an object`, partPath);
          if (part.type === 'text') parts.push(this.#textPart(part, partPath));
          else if (part.type === 'refusal') {
            if (typeof part.refusal !== 'string') throw new CodecError(`\`${partPath}.refusal\` must be a string`, `${partPath}.refusal`);
            extras.refusalPart = parts.length;
            parts.push({ type: 'text', text: part.refusal });
          } else {
            (extras.unknownParts ??= []).push({ index: j, part });
            this.#warnings.push({ type: 'unsupported', feature: `assistant content part ${String(part.type)}` });
          }
        });
      } else {
        throw new CodecError(`\`${path}.content\` must be a string, an array or null`, `${path}.content`);
      }
    }
    if (raw.refusal === null) (extras.fields ??= {}).refusal = null;
    if (typeof raw.refusal === 'string' && raw.refusal) {
      extras.refusalPart = parts.length;
      parts.push({ type: 'text', text: raw.refusal });
    }
    if (raw.tool_calls !== undefined && raw.tool_calls !== null) {
      if (!Array.isArray(raw.tool_calls)) throw new CodecError(`\`${path}.tool_calls\` must be an array`, `${path}.tool_calls`);
      raw.tool_calls.forEach((call, j) => {
        const callPath = `${path}.tool_calls[${j}]`;
        if (!isRecord(call)) throw new CodecError(`\`${callPath}\` must be an object`, callPath);
        if (call.type !== undefined && call.type !== 'function') {
          (extras.fields ??= {}).otherToolCalls = [...((extras.fields.otherToolCalls as unknown[]) ?? []), call];
          this.#warnings.push({ type: 'unsupported', feature: `tool call type ${String(call.type)}` });
          return;
        }
        if (typeof call.id !== 'string' || !call.id) throw new CodecError(`\`${callPath}.id\` must be a non-empty string`, `${callPath}.id`);
        const fn = call.function;
        if (!isRecord(fn) || typeof fn.name !== 'string' || !fn.name) {
          throw new CodecError(`\`${callPath}.function.name\` must be a non-empty string`, `${callPath}.function.name`);
        }
        const part = this.#toolCall(call.id, fn.name, fn.arguments, `${callPath}.function.arguments`);
        const signature = signatureFromExtraContent(call);
        if (signature) part.signature = signature;
        parts.push(part);
      });
    }
    if (isRecord(raw.function_call)) {
      const fn = raw.function_call;
      if (typeof fn.name !== 'string' || !fn.name) throw new CodecError(`\`${path}.function_call.name\` must be a non-empty string`, `${path}.function_call.name`);
      // The legacy API has no call ids: make one the `role: 'function'` result can point at.
      const id = `call_legacy_${messageIndex}`;
      this.#pendingLegacyCalls.push({ id, name: fn.name });
      parts.push(this.#toolCall(id, fn.name, fn.arguments, `${path}.function_call.arguments`));
    }
    this.#keepMessageFields(raw, ['role', 'content', 'cache_control', 'reasoning_content', 'reasoning', 'refusal', 'tool_calls', 'function_call'], extras);
    return withExtras({ role: 'assistant', parts }, extras);
  }

  #toolCall(toolCallId: string, toolName: string, args: unknown, path: string): IrToolCallPart {
    this.#toolNames.set(toolCallId, toolName);
    let argumentsText: string;
    if (typeof args === 'string') argumentsText = args;
    else if (args === undefined || args === null) argumentsText = '{}';
    else if (isRecord(args)) {
      // Some clients send the arguments as an object; OpenAI wants a JSON string.
      argumentsText = JSON.stringify(args);
      this.#warnings.push({ type: 'coerced', feature: 'tool_calls.function.arguments', details: `${path} was an object, not a JSON string` });
    } else throw new CodecError(`\`${path}\` must be a JSON string`, path);
    return { type: 'tool-call', toolCallId, toolName, argumentsText };
  }

  #decodeTool(raw: Record<string, unknown>, path: string): IrMessage {
    if (typeof raw.tool_call_id !== 'string' || !raw.tool_call_id) {
      throw new CodecError(`\`${path}.tool_call_id\` must be a non-empty string`, `${path}.tool_call_id`);
    }
    const toolCallId = raw.tool_call_id;
    const extras: OpenAIChatMessageExtras = {};
    const content = this.#contentParts(raw.content ?? '', `${path}.content`, extras);
    const result = this.#toolResult(toolCallId, this.#toolNameFor(toolCallId, path), content, raw);
    this.#keepMessageFields(raw, ['role', 'content', 'cache_control', 'tool_call_id'], extras);
    return withExtras({ role: 'tool', parts: [result] }, extras);
  }

  #decodeLegacyFunctionResult(raw: Record<string, unknown>, path: string): IrMessage {
    if (typeof raw.name !== 'string' || !raw.name) throw new CodecError(`\`${path}.name\` must be a non-empty string`, `${path}.name`);
    const name = raw.name;
    const pending = this.#pendingLegacyCalls.findIndex((call) => call.name === name);
    const toolCallId = pending >= 0 ? (this.#pendingLegacyCalls.splice(pending, 1)[0] as { id: string }).id : `call_legacy_${name}`;
    if (pending < 0) this.#warnings.push({ type: 'coerced', feature: 'function message', details: `${path}: no earlier function_call named ${name}` });
    const extras: OpenAIChatMessageExtras = {};
    const content = this.#contentParts(raw.content ?? '', `${path}.content`, extras);
    return withExtras({ role: 'tool', parts: [this.#toolResult(toolCallId, name, content, raw)] }, extras);
  }

  #toolResult(toolCallId: string, toolName: string, content: IrPart[], raw: Record<string, unknown>): IrToolResultPart {
    const result: IrToolResultPart = {
      type: 'tool-result',
      toolCallId,
      toolName,
      content: content.filter((part): part is IrTextPart | IrFilePart => part.type === 'text' || part.type === 'file'),
    };
    const cacheControl = this.#cacheControl(raw.cache_control);
    if (cacheControl) result.cacheControl = cacheControl;
    return result;
  }

  #toolNameFor(toolCallId: string, path: string): string {
    const name = this.#toolNames.get(toolCallId);
    if (name !== undefined) return name;
    this.#warnings.push({ type: 'coerced', feature: 'tool_call_id', details: `${path}: no earlier tool call has id ${toolCallId}; its tool name is unknown` });
    return '';
  }

  // ---- content parts --------------------------------------------------------------------

  /** System/developer content: a string or text parts only. */
  #textParts(content: unknown, path: string, message: Record<string, unknown>): IrTextPart[] {
    if (typeof content === 'string') return [this.#withMessageCache({ type: 'text', text: content }, message)];
    if (!Array.isArray(content)) throw new CodecError(`\`${path}\` must be a string or an array of text parts`, path);
    return content.map((part, j) => {
      const partPath = `${path}[${j}]`;
      if (!isRecord(part) || part.type !== 'text') throw new CodecError(`\`${partPath}\` must be a text part`, partPath);
      return this.#textPart(part, partPath);
    });
  }

  /** User / tool content: a string or parts (text, image_url, input_audio, file). */
  #contentParts(content: unknown, path: string, extras: OpenAIChatMessageExtras, message?: Record<string, unknown>): IrPart[] {
    if (typeof content === 'string') {
      const part: IrTextPart = { type: 'text', text: content };
      return [message ? this.#withMessageCache(part, message) : part];
    }
    if (!Array.isArray(content)) throw new CodecError(`\`${path}\` must be a string or an array of content parts`, path);
    extras.contentAsParts = true;
    const parts: IrPart[] = [];
    content.forEach((part, j) => {
      const partPath = `${path}[${j}]`;
      if (!isRecord(part)) throw new CodecError(`\`${partPath}\` must be an object`, partPath);
      switch (part.type) {
        case 'text':
          parts.push(this.#textPart(part, partPath));
          return;
        case 'image_url':
          parts.push(this.#imagePart(part, partPath, extras, parts.length));
          return;
        case 'input_audio': {
          const audio = part.input_audio;
          if (!isRecord(audio) || typeof audio.data !== 'string' || typeof audio.format !== 'string') {
            throw new CodecError(`\`${partPath}.input_audio\` must have string \`data\` and \`format\``, `${partPath}.input_audio`);
          }
          parts.push({ type: 'file', mediaType: audioMediaType(audio.format), source: { kind: 'base64', data: audio.data } });
          return;
        }
        case 'file':
          parts.push(this.#filePart(part, partPath, extras, parts.length));
          return;
        default:
          (extras.unknownParts ??= []).push({ index: j, part });
          this.#warnings.push({ type: 'unsupported', feature: `content part ${String(part.type)}`, details: `${partPath} is kept for OpenAI upstreams only` });
      }
    });
    // A message-level cache_control (LiteLLM style) marks the message's last part.
    const last = parts[parts.length - 1];
    const cacheControl = message ? this.#cacheControl(message.cache_control) : undefined;
    if (cacheControl && last && (last.type === 'text' || last.type === 'file') && !last.cacheControl) last.cacheControl = cacheControl;
    return parts;
  }

  #textPart(part: Record<string, unknown>, path: string): IrTextPart {
    if (typeof part.text !== 'string') throw new CodecError(`\`${path}.text\` must be a string`, `${path}.text`);
    const result: IrTextPart = { type: 'text', text: part.text };
    const cacheControl = this.#cacheControl(part.cache_control);
    if (cacheControl) result.cacheControl = cacheControl;
    return result;
  }

  #imagePart(part: Record<string, unknown>, path: string, extras: OpenAIChatMessageExtras, index: number): IrFilePart {
    // `image_url` is an object per the spec; a bare string is a common client mistake worth accepting.
    const image = typeof part.image_url === 'string' ? { url: part.image_url } : part.image_url;
    if (!isRecord(image) || typeof image.url !== 'string' || !image.url) {
      throw new CodecError(`\`${path}.image_url.url\` must be a non-empty string`, `${path}.image_url.url`);
    }
    if (typeof image.detail === 'string') (extras.imageDetail ??= {})[index] = image.detail;
    const result = this.#fileFromUrl(image.url, `${path}.image_url.url`);
    const cacheControl = this.#cacheControl(part.cache_control);
    if (cacheControl) result.cacheControl = cacheControl;
    return result;
  }

  #filePart(part: Record<string, unknown>, path: string, extras: OpenAIChatMessageExtras, index: number): IrFilePart {
    const file = part.file;
    if (!isRecord(file)) throw new CodecError(`\`${path}.file\` must be an object`, `${path}.file`);
    const filename = typeof file.filename === 'string' ? file.filename : undefined;
    if (filename !== undefined) (extras.filenames ??= {})[index] = filename;
    let result: IrFilePart;
    if (typeof file.file_data === 'string' && file.file_data) {
      const parsed = parseDataUrl(file.file_data);
      result = parsed
        ? withMediaType({ type: 'file', source: { kind: 'base64', data: parsed.data } }, parsed.mediaType ?? (filename && mediaTypeFromName(filename)))
        : // Bare base64: Chat Completions takes PDFs here, so that is the default type.
          { type: 'file', mediaType: (filename && mediaTypeFromName(filename)) || 'application/pdf', source: { kind: 'base64', data: file.file_data } };
    } else if (typeof file.file_id === 'string' && file.file_id) {
      result = withMediaType({ type: 'file', source: { kind: 'file-id', id: file.file_id } }, filename && mediaTypeFromName(filename));
    } else {
      throw new CodecError(`\`${path}.file\` needs \`file_data\` or \`file_id\``, `${path}.file`);
    }
    const cacheControl = this.#cacheControl(part.cache_control);
    if (cacheControl) result.cacheControl = cacheControl;
    return result;
  }

  #fileFromUrl(url: string, path: string): IrFilePart {
    const parsed = parseDataUrl(url);
    if (parsed) return withMediaType({ type: 'file', source: { kind: 'base64', data: parsed.data } }, parsed.mediaType);
    if (!/^https?:\/\//i.test(url)) {
      throw new CodecError(`\`${path}\` must be an http(s) URL or a data URL (the proxy never reads local files)`, path);
    }
    return withMediaType({ type: 'file', source: { kind: 'url', url } }, mediaTypeFromName(url));
  }

  /** A string content's message-level `cache_control` applies to its one text part. */
  #withMessageCache(part: IrTextPart, message: Record<string, unknown>): IrTextPart {
    const cacheControl = this.#cacheControl(message.cache_control);
    if (cacheControl) part.cacheControl = cacheControl;
    return part;
  }

  /** Anthropic-style `cache_control` that OpenRouter/LiteLLM clients put on OpenAI-format parts. */
  #cacheControl(value: unknown): IrCacheControl | undefined {
    if (!isRecord(value) || value.type !== 'ephemeral') return undefined;
    this.#extras.cacheControl = true;
    return typeof value.ttl === 'string' ? { type: 'ephemeral', ttl: value.ttl } : { type: 'ephemeral' };
  }

  #keepMessageFields(raw: Record<string, unknown>, handled: string[], extras: OpenAIChatMessageExtras): void {
    for (const key of Object.keys(raw)) {
      if (!handled.includes(key)) (extras.fields ??= {})[key] = raw[key];
    }
  }

  // ---- tools ----------------------------------------------------------------------------

  #decodeTools(): IrTool[] {
    const body = this.#body;
    const tools: IrTool[] = [];
    if (body.tools !== undefined && body.tools !== null) {
      if (!Array.isArray(body.tools)) throw new CodecError('`tools` must be an array', 'tools');
      body.tools.forEach((tool, i) => {
        const path = `tools[${i}]`;
        if (!isRecord(tool)) throw new CodecError(`\`${path}\` must be an object`, path);
        if (tool.type !== 'function') {
          (this.#extras.otherTools ??= []).push(tool);
          this.#warnings.push({ type: 'unsupported', feature: `tool type ${String(tool.type)}`, details: `${path} is kept for OpenAI upstreams only` });
          return;
        }
        if (!isRecord(tool.function)) throw new CodecError(`\`${path}.function\` must be an object`, `${path}.function`);
        const decoded = this.#functionTool(tool.function, `${path}.function`);
        const cacheControl = this.#cacheControl(tool.cache_control);
        if (cacheControl) decoded.cacheControl = cacheControl;
        tools.push(decoded);
      });
    }
    if (body.functions !== undefined && body.functions !== null) {
      if (!Array.isArray(body.functions)) throw new CodecError('`functions` must be an array', 'functions');
      this.#extras.legacyFunctions = true;
      body.functions.forEach((fn, i) => {
        if (!isRecord(fn)) throw new CodecError(`\`functions[${i}]\` must be an object`, `functions[${i}]`);
        tools.push(this.#functionTool(fn, `functions[${i}]`));
      });
    }
    return tools;
  }

  #functionTool(fn: Record<string, unknown>, path: string): IrTool {
    if (typeof fn.name !== 'string' || !fn.name) throw new CodecError(`\`${path}.name\` must be a non-empty string`, `${path}.name`);
    if (fn.parameters !== undefined && !isRecord(fn.parameters)) throw new CodecError(`\`${path}.parameters\` must be a JSON Schema object`, `${path}.parameters`);
    // OpenAI: "Omitting parameters defines a function with an empty parameter list."
    const tool: IrTool = { name: fn.name, parameters: (fn.parameters as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } };
    if (typeof fn.description === 'string') tool.description = fn.description;
    if (typeof fn.strict === 'boolean') tool.strict = fn.strict;
    return tool;
  }

  #decodeToolChoice(): IrToolChoice | undefined {
    const body = this.#body;
    const choice = body.tool_choice ?? body.function_call;
    const field = body.tool_choice !== undefined ? 'tool_choice' : 'function_call';
    if (choice === undefined || choice === null) return undefined;
    if (choice === 'auto' || choice === 'none' || choice === 'required') return { type: choice };
    if (isRecord(choice)) {
      const name = isRecord(choice.function) ? choice.function.name : choice.name;
      if ((choice.type === 'function' || field === 'function_call') && typeof name === 'string' && name) return { type: 'tool', name };
      // allowed_tools, custom: no IR form.
      this.#extras.toolChoice = choice;
      this.#warnings.push({ type: 'unsupported', feature: `${field} ${String(choice.type)}`, details: 'kept for OpenAI upstreams only' });
      return undefined;
    }
    throw new CodecError(`\`${field}\` must be "auto", "none", "required" or a function choice`, field);
  }

  // ---- sampling, reasoning, format ------------------------------------------------------

  #decodeSampling(): IrSampling {
    const sampling: IrSampling = {};
    const maxCompletion = this.#number('max_completion_tokens');
    const maxTokens = this.#number('max_tokens');
    if (maxCompletion !== undefined) {
      sampling.maxOutputTokens = maxCompletion;
      this.#extras.maxTokensField = 'max_completion_tokens';
      if (maxTokens !== undefined && maxTokens !== maxCompletion) {
        this.#warnings.push({ type: 'coerced', feature: 'max_tokens', details: 'both max_tokens and max_completion_tokens were sent; max_completion_tokens wins' });
      }
    } else if (maxTokens !== undefined) {
      sampling.maxOutputTokens = maxTokens;
      this.#extras.maxTokensField = 'max_tokens';
    }
    const temperature = this.#number('temperature');
    if (temperature !== undefined) sampling.temperature = temperature;
    const topP = this.#number('top_p');
    if (topP !== undefined) sampling.topP = topP;
    const topK = this.#number('top_k');
    if (topK !== undefined) {
      sampling.topK = topK;
      this.#extras.topK = true;
    }
    const seed = this.#number('seed');
    if (seed !== undefined) sampling.seed = seed;
    const presence = this.#number('presence_penalty');
    if (presence !== undefined) sampling.presencePenalty = presence;
    const frequency = this.#number('frequency_penalty');
    if (frequency !== undefined) sampling.frequencyPenalty = frequency;
    const stop = this.#body.stop;
    if (typeof stop === 'string') {
      sampling.stop = [stop];
      this.#extras.stopAsString = true;
    } else if (Array.isArray(stop)) {
      if (!stop.every((item) => typeof item === 'string')) throw new CodecError('`stop` must be a string or an array of strings', 'stop');
      sampling.stop = stop as string[];
    } else if (stop !== undefined && stop !== null) {
      throw new CodecError('`stop` must be a string or an array of strings', 'stop');
    }
    return sampling;
  }

  #number(field: string): number | undefined {
    const value = this.#body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new CodecError(`\`${field}\` must be a number`, field);
    return value;
  }

  #decodeReasoning(): IrReasoningConfig | undefined {
    const effort = this.#body.reasoning_effort;
    if (effort === undefined || effort === null) return undefined;
    if (typeof effort !== 'string') throw new CodecError('`reasoning_effort` must be a string', 'reasoning_effort');
    if (EFFORTS.has(effort)) return { effort: effort as NonNullable<IrReasoningConfig['effort']> };
    this.#extras.reasoningEffort = effort;
    this.#warnings.push({ type: 'unsupported', feature: 'reasoning_effort', details: `unknown value ${effort}, kept for OpenAI upstreams only` });
    return undefined;
  }

  #decodeResponseFormat(): IrResponseFormat | undefined {
    const format = this.#body.response_format;
    if (format === undefined || format === null) return undefined;
    if (!isRecord(format)) throw new CodecError('`response_format` must be an object', 'response_format');
    switch (format.type) {
      case 'text':
        return { type: 'text' };
      case 'json_object':
        return { type: 'json' };
      case 'json_schema': {
        const spec = format.json_schema;
        if (!isRecord(spec)) throw new CodecError('`response_format.json_schema` must be an object', 'response_format.json_schema');
        const result: IrResponseFormat = { type: 'json-schema', schema: isRecord(spec.schema) ? spec.schema : {} };
        if (typeof spec.name === 'string') result.name = spec.name;
        if (typeof spec.strict === 'boolean') result.strict = spec.strict;
        if (typeof spec.description === 'string') this.#extras.responseFormatDescription = spec.description;
        return result;
      }
      default:
        throw new CodecError('`response_format.type` must be text, json_object or json_schema', 'response_format.type');
    }
  }

  #decodeStreamOptions(request: IrRequest): void {
    const options = this.#body.stream_options;
    if (!isRecord(options)) return;
    if (typeof options.include_usage === 'boolean') request.includeUsage = options.include_usage;
    const rest = Object.fromEntries(Object.entries(options).filter(([key]) => key !== 'include_usage'));
    if (Object.keys(rest).length > 0) this.#extras.streamOptions = rest;
  }
}

function withExtras(message: IrMessage, extras: OpenAIChatMessageExtras): IrMessage {
  if (Object.keys(extras).length > 0) message.extras = { [OPENAI_CHAT]: extras as Record<string, unknown> };
  return message;
}

function withMediaType(part: IrFilePart, mediaType: string | undefined): IrFilePart {
  return mediaType ? { type: 'file', mediaType, source: part.source } : part;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
