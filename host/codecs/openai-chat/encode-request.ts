import type { IrCacheControl, IrFilePart, IrPart, IrTextPart, IrToolCallPart, IrToolResultPart } from '../../ir/ir-part.js';
import type { IrMessage, IrProtocol, IrRequest } from '../../ir/ir-request.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { effortForBudget } from '../shared/reasoning-effort.js';
import { audioFormat, toDataUrl } from './data-url.js';
import {
  OPENAI_CHAT,
  type OpenAIChatCacheControl,
  type OpenAIChatContentPart,
  type OpenAIChatMessage,
  type OpenAIChatMessageExtras,
  type OpenAIChatRequest,
  type OpenAIChatRequestExtras,
  type OpenAIChatTextPart,
} from './wire.js';

/**
 * IR → a Chat Completions request body for an OpenAI-family upstream.
 *
 * Decisions worth knowing:
 * - Max tokens: written to the field the client used when it was an OpenAI Chat client;
 *   otherwise `max_completion_tokens` for OpenAI reasoning models (o-series, gpt-5…), which
 *   reject `max_tokens`, and `max_tokens` for every other model, because most OpenAI-compatible
 *   servers (vLLM, Ollama, LM Studio, older gateways) know only that one.
 *   @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-max_completion_tokens
 * - Streaming always asks for `stream_options.include_usage` so usage reaches the monitor and the
 *   client protocols that report it; the client's own wish (IrRequest.includeUsage) is honoured
 *   by the stream encoder.
 * - Instructions become one leading `system` message (a string, or text parts when there are
 *   several blocks), unless an OpenAI Chat client's layout was kept in extras.
 * - `cache_control` is written only when an OpenAI-format client sent it (its upstream is then an
 *   OpenAI-compatible gateway that takes it); otherwise it is dropped with a warning, as OpenAI
 *   caches prompts automatically.
 * - Reasoning text from earlier turns goes back only under the field an OpenAI-format client used
 *   (`reasoning_content` / `reasoning`); other families' thinking (and its signatures) is dropped
 *   with a warning.
 * - `top_k` is not an OpenAI parameter (OpenAI rejects it): written only when the client sent it.
 *
 * Warnings are appended to `request.warnings` (the only channel the interface offers); a second
 * encode of the same request (failover) does not repeat them.
 */
export function encodeOpenAIChatRequest(request: IrRequest, model: string): Record<string, unknown> {
  return new RequestEncoder(request, model).encode();
}

/** OpenAI reasoning models, which take `max_completion_tokens` and `reasoning_effort`. */
export function isOpenAIReasoningModel(model: string): boolean {
  const name = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  return /^(o\d|gpt-5|codex-)/.test(name);
}

class RequestEncoder {
  readonly #request: IrRequest;
  readonly #model: string;
  readonly #extras: OpenAIChatRequestExtras;
  readonly #keepCacheControl: boolean;
  #droppedCacheControl = false;

  constructor(request: IrRequest, model: string) {
    this.#request = request;
    this.#model = model;
    this.#extras = (request.extras[OPENAI_CHAT] ?? {}) as OpenAIChatRequestExtras;
    this.#keepCacheControl = this.#extras.cacheControl === true;
  }

  encode(): Record<string, unknown> {
    const request = this.#request;
    const extras = this.#extras;
    const body: OpenAIChatRequest = { model: this.#model, messages: [...this.#instructions(), ...this.#messages()] };

    this.#tools(body);
    if (request.parallelToolCalls !== undefined && body.tools) body.parallel_tool_calls = request.parallelToolCalls;
    this.#sampling(body);
    this.#reasoning(body);
    this.#responseFormat(body);
    if (request.stream) {
      body.stream = true;
      body.stream_options = { ...extras.streamOptions, include_usage: true };
    }
    if (request.user !== undefined) body.user = request.user;
    if (extras.fields) Object.assign(body, extras.fields);
    if (this.#droppedCacheControl) this.#warn({ type: 'dropped', feature: 'cache_control', details: 'OpenAI caches prompts automatically; breakpoints are not sent' });
    for (const protocol of Object.keys(request.extras) as IrProtocol[]) {
      if (protocol === OPENAI_CHAT) continue;
      const keys = Object.keys(request.extras[protocol] ?? {});
      if (keys.length > 0) this.#warn({ type: 'dropped', feature: `${protocol} extras`, details: `not sent to an OpenAI Chat upstream: ${keys.join(', ')}` });
    }
    return body;
  }

  #warn(warning: IrWarning): void {
    const warnings = this.#request.warnings;
    if (!warnings.some((existing) => existing.type === warning.type && existing.feature === warning.feature && existing.details === warning.details)) {
      warnings.push(warning);
    }
  }

  // ---- messages -------------------------------------------------------------------------

  #instructions(): OpenAIChatMessage[] {
    const instructions = this.#request.instructions;
    if (instructions.length === 0) return [];
    const layout = this.#extras.instructionLayout;
    if (layout && layout.reduce((sum, entry) => sum + entry.parts, 0) === instructions.length) {
      let next = 0;
      return layout.map((entry) => {
        const parts = instructions.slice(next, next + entry.parts);
        next += entry.parts;
        return { role: entry.role, content: this.#textContent(parts, !entry.string) };
      });
    }
    return [{ role: 'system', content: this.#textContent(instructions, false) }];
  }

  #messages(): OpenAIChatMessage[] {
    const out: OpenAIChatMessage[] = [];
    for (const message of this.#request.messages) {
      const extras = (message.extras?.[OPENAI_CHAT] ?? {}) as OpenAIChatMessageExtras;
      // Tool results may sit in any message (Anthropic puts them in user turns): OpenAI wants
      // one `tool` message each, right after the assistant's calls, so they go first.
      const results = message.parts.filter((part): part is IrToolResultPart => part.type === 'tool-result');
      for (const result of results) out.push(this.#toolMessage(result, message.role === 'tool' ? extras : {}));
      const rest = results.length > 0 ? message.parts.filter((part) => part.type !== 'tool-result') : message.parts;
      switch (message.role) {
        case 'tool':
          if (rest.length > 0) out.push(this.#userMessage(rest, {}));
          break;
        case 'system': {
          const texts = this.#onlyText(rest, 'system message');
          if (texts.length === 0) break;
          out.push({ role: extras.role ?? 'system', content: this.#textContent(texts, extras.contentAsParts === true), ...extras.fields });
          break;
        }
        case 'user':
          if (rest.length > 0 || results.length === 0) out.push(this.#userMessage(rest, extras));
          break;
        case 'assistant':
          out.push(this.#assistantMessage(message, extras));
          break;
      }
    }
    return out;
  }

  #userMessage(parts: IrPart[], extras: OpenAIChatMessageExtras): OpenAIChatMessage {
    if (parts.length === 0 && !extras.unknownParts) return { role: 'user', content: '', ...extras.fields };
    const single = parts[0];
    const asString = !extras.contentAsParts && !extras.unknownParts && parts.length === 1 && single?.type === 'text' && !(this.#keepCacheControl && single.cacheControl);
    if (asString) {
      this.#noteCache(single.cacheControl);
      return { role: 'user', content: single.text, ...extras.fields };
    }
    const content: OpenAIChatContentPart[] = [];
    parts.forEach((part, index) => {
      if (part.type === 'text') content.push(this.#textPart(part));
      else if (part.type === 'file') {
        const encoded = this.#filePart(part, extras, index);
        if (encoded) content.push(encoded);
      } else this.#warn({ type: 'dropped', feature: `${part.type} part in a user message` });
    });
    return { role: 'user', content: insertUnknownParts(content, extras), ...extras.fields };
  }

  #assistantMessage(message: IrMessage, extras: OpenAIChatMessageExtras): OpenAIChatMessage {
    const texts: IrTextPart[] = [];
    const calls: IrToolCallPart[] = [];
    let reasoning = '';
    let refusal: string | undefined;
    message.parts.forEach((part, index) => {
      switch (part.type) {
        case 'text':
          if (index === extras.refusalPart) refusal = part.text;
          else texts.push(part);
          return;
        case 'reasoning':
          if (extras.reasoningField && !part.redacted) reasoning += part.text;
          else this.#warn({ type: 'dropped', feature: 'reasoning', details: 'earlier reasoning is not sent to an OpenAI Chat upstream' });
          return;
        case 'tool-call':
          calls.push(part);
          return;
        default:
          this.#warn({ type: 'dropped', feature: `${part.type} part in an assistant message` });
      }
    });
    const out: OpenAIChatMessage = { role: 'assistant', content: null };
    if (texts.length > 0 || extras.unknownParts) {
      out.content = extras.contentAsParts || extras.unknownParts ? insertUnknownParts(texts.map((part) => this.#textPart(part)), extras) : this.#textContent(texts, false);
    } else if (calls.length === 0 && refusal === undefined) {
      out.content = '';
    }
    if (extras.reasoningField) out[extras.reasoningField] = reasoning;
    if (refusal !== undefined) out.refusal = refusal;
    if (calls.length > 0) {
      if (this.#extras.legacyFunctions && calls.length === 1 && calls[0]?.toolCallId.startsWith('call_legacy_')) {
        out.function_call = { name: calls[0].toolName, arguments: calls[0].argumentsText };
      } else {
        out.tool_calls = calls.map((call) => ({ id: call.toolCallId, type: 'function', function: { name: call.toolName, arguments: call.argumentsText } }));
      }
    }
    return Object.assign(out, extras.fields);
  }

  #toolMessage(result: IrToolResultPart, extras: OpenAIChatMessageExtras): OpenAIChatMessage {
    if (result.isError) this.#warn({ type: 'dropped', feature: 'tool_result.is_error', details: 'OpenAI tool messages have no error flag' });
    this.#noteCache(result.cacheControl);
    const texts = this.#onlyText(result.content, 'tool result');
    const content = extras.contentAsParts || texts.length !== 1 ? texts.map((part) => this.#textPart(part)) : (texts[0] as IrTextPart).text;
    if (this.#extras.legacyFunctions && result.toolCallId.startsWith('call_legacy_')) {
      return { role: 'function', name: result.toolName, content: typeof content === 'string' ? content : texts.map((part) => part.text).join('') };
    }
    const message: OpenAIChatMessage = { role: 'tool', tool_call_id: result.toolCallId, content: Array.isArray(content) && content.length === 0 ? '' : content, ...extras.fields };
    if (this.#keepCacheControl && result.cacheControl) message.cache_control = cacheControlWire(result.cacheControl);
    return message;
  }

  /** Text parts only (system and tool content); anything else is dropped with a warning. */
  #onlyText(parts: ReadonlyArray<IrPart>, where: string): IrTextPart[] {
    const texts: IrTextPart[] = [];
    for (const part of parts) {
      if (part.type === 'text') texts.push(part);
      else this.#warn({ type: 'dropped', feature: `${part.type === 'file' ? `file (${part.mediaType ?? 'unknown type'})` : part.type} in a ${where}`, details: 'OpenAI accepts only text there' });
    }
    return texts;
  }

  /**
   * System and assistant text: one string unless the client sent parts (or breakpoints must be
   * kept). Several blocks (Anthropic system blocks, text around tool calls) are joined with a
   * blank line, because several OpenAI-compatible servers (Groq among them) take only a string
   * for system content.
   */
  #textContent(parts: IrTextPart[], asParts: boolean): string | OpenAIChatTextPart[] {
    if (asParts || (this.#keepCacheControl && parts.some((part) => part.cacheControl))) return parts.map((part) => this.#textPart(part));
    for (const part of parts) this.#noteCache(part.cacheControl);
    if (parts.length > 1) this.#warn({ type: 'coerced', feature: 'text blocks', details: 'several text blocks of a system or assistant turn are joined into one string' });
    return parts.map((part) => part.text).join('\n\n');
  }

  #textPart(part: IrTextPart): OpenAIChatTextPart {
    const out: OpenAIChatTextPart = { type: 'text', text: part.text };
    if (part.cacheControl) {
      if (this.#keepCacheControl) out.cache_control = cacheControlWire(part.cacheControl);
      else this.#droppedCacheControl = true;
    }
    return out;
  }

  #filePart(part: IrFilePart, extras: OpenAIChatMessageExtras, index: number): OpenAIChatContentPart | undefined {
    const mediaType = part.mediaType;
    const source = part.source;
    let out: OpenAIChatContentPart | undefined;
    const filename = extras.filenames?.[index];
    if (source.kind === 'file-id') {
      out = { type: 'file', file: { file_id: source.id, ...(filename !== undefined ? { filename } : {}) } };
    } else if (mediaType?.startsWith('audio/') && source.kind === 'base64') {
      out = { type: 'input_audio', input_audio: { data: source.data, format: audioFormat(mediaType) } };
    } else if (mediaType === undefined || mediaType.startsWith('image/')) {
      // Chat Completions takes URLs only for images; an untyped URL is most likely one.
      const url = source.kind === 'url' ? source.url : toDataUrl(mediaType, source.data);
      const detail = extras.imageDetail?.[index];
      out = { type: 'image_url', image_url: detail !== undefined ? { url, detail } : { url } };
    } else if (source.kind === 'base64') {
      out = { type: 'file', file: { ...(filename !== undefined ? { filename } : { filename: defaultFilename(mediaType) }), file_data: toDataUrl(mediaType, source.data) } };
    } else {
      this.#warn({ type: 'dropped', feature: `file URL (${mediaType})`, details: 'Chat Completions takes URLs for images only; the proxy never fetches them' });
      return undefined;
    }
    if (part.cacheControl) {
      if (this.#keepCacheControl) out.cache_control = cacheControlWire(part.cacheControl);
      else this.#droppedCacheControl = true;
    }
    return out;
  }

  #noteCache(cacheControl: IrCacheControl | undefined): void {
    if (cacheControl && !this.#keepCacheControl) this.#droppedCacheControl = true;
  }

  // ---- tools, sampling, reasoning, format ----------------------------------------------

  #tools(body: OpenAIChatRequest): void {
    const request = this.#request;
    const extras = this.#extras;
    // Chat Completions has no general web-search tool (`web_search_options` exists only on
    // OpenAI's dedicated search models, which take no other tools).
    if (request.serverTools?.some((tool) => tool.kind === 'web-search')) {
      this.#warn({ type: 'dropped', feature: 'web_search', details: 'OpenAI-compatible Chat Completions has no web search tool; the model answers without searching.' });
    }
    if (extras.legacyFunctions && !extras.otherTools) {
      if (request.tools.length > 0) {
        body.functions = request.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description !== undefined ? { description: tool.description } : {}),
          parameters: tool.parameters,
        }));
      }
      const choice = request.toolChoice;
      if (choice) body.function_call = choice.type === 'tool' ? { name: choice.name } : choice.type === 'required' ? 'auto' : choice.type;
      return;
    }
    if (request.tools.length > 0 || extras.otherTools) {
      body.tools = [
        ...request.tools.map((tool) => {
          const fn: Record<string, unknown> = { name: tool.name };
          if (tool.description !== undefined) fn.description = tool.description;
          fn.parameters = tool.parameters;
          if (tool.strict !== undefined) fn.strict = tool.strict;
          const out: Record<string, unknown> = { type: 'function', function: fn };
          if (tool.cacheControl) {
            if (this.#keepCacheControl) out.cache_control = cacheControlWire(tool.cacheControl);
            else this.#droppedCacheControl = true;
          }
          return out;
        }),
        ...(extras.otherTools ?? []),
      ];
    }
    const choice = request.toolChoice;
    if (extras.toolChoice !== undefined) body.tool_choice = extras.toolChoice as OpenAIChatRequest['tool_choice'];
    else if (choice && !body.tools) {
      // OpenAI: "tool_choice is only allowed when tools are specified".
      this.#warn({ type: 'dropped', feature: 'tool_choice', details: 'no tools in the request' });
    } else if (choice) body.tool_choice = choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
  }

  #sampling(body: OpenAIChatRequest): void {
    const sampling = this.#request.sampling;
    const extras = this.#extras;
    if (sampling.maxOutputTokens !== undefined) {
      const field = extras.maxTokensField ?? (isOpenAIReasoningModel(this.#model) ? 'max_completion_tokens' : 'max_tokens');
      body[field] = sampling.maxOutputTokens;
    }
    if (sampling.temperature !== undefined) body.temperature = sampling.temperature;
    if (sampling.topP !== undefined) body.top_p = sampling.topP;
    if (sampling.topK !== undefined) {
      if (extras.topK) body.top_k = sampling.topK;
      else this.#warn({ type: 'dropped', feature: 'top_k', details: 'not an OpenAI parameter' });
    }
    if (sampling.stop !== undefined) body.stop = extras.stopAsString && sampling.stop.length === 1 ? sampling.stop[0] : sampling.stop;
    if (sampling.seed !== undefined) body.seed = sampling.seed;
    if (sampling.presencePenalty !== undefined) body.presence_penalty = sampling.presencePenalty;
    if (sampling.frequencyPenalty !== undefined) body.frequency_penalty = sampling.frequencyPenalty;
  }

  /**
   * Effort goes over as is. A token budget (Anthropic, Gemini) becomes an effort for reasoning
   * models only: others reject `reasoning_effort`.
   * @see https://platform.openai.com/docs/api-reference/chat/create#chat-create-reasoning_effort
   */
  #reasoning(body: OpenAIChatRequest): void {
    const reasoning = this.#request.reasoning;
    if (this.#extras.reasoningEffort !== undefined) {
      body.reasoning_effort = this.#extras.reasoningEffort;
      return;
    }
    if (!reasoning) return;
    if (reasoning.effort !== undefined) {
      body.reasoning_effort = reasoning.effort;
    } else if (reasoning.disabled) {
      if (isOpenAIReasoningModel(this.#model)) this.#warn({ type: 'dropped', feature: 'thinking disabled', details: 'OpenAI reasoning models always reason; the default effort applies' });
    } else if (reasoning.budgetTokens !== undefined) {
      if (isOpenAIReasoningModel(this.#model)) {
        body.reasoning_effort = openAIEffortForBudget(reasoning.budgetTokens);
        this.#warn({ type: 'coerced', feature: 'thinking budget', details: `budget ${reasoning.budgetTokens} tokens sent as reasoning_effort ${body.reasoning_effort}` });
      } else {
        this.#warn({ type: 'dropped', feature: 'thinking budget', details: `${this.#model} takes no reasoning setting` });
      }
    }
    if (reasoning.includeThoughts) this.#warn({ type: 'unsupported', feature: 'include thoughts', details: 'OpenAI Chat Completions returns no reasoning text' });
  }

  #responseFormat(body: OpenAIChatRequest): void {
    const format = this.#request.responseFormat;
    if (!format) return;
    switch (format.type) {
      case 'text':
        body.response_format = { type: 'text' };
        return;
      case 'json':
        body.response_format = { type: 'json_object' };
        return;
      case 'json-schema': {
        const spec: Record<string, unknown> = { name: format.name ?? 'response' };
        if (this.#extras.responseFormatDescription !== undefined) spec.description = this.#extras.responseFormatDescription;
        spec.schema = format.schema;
        if (format.strict !== undefined) spec.strict = format.strict;
        body.response_format = { type: 'json_schema', json_schema: spec as { name: string } };
        return;
      }
    }
  }
}

/** A budget's effort from the one table (shared/reasoning-effort.ts), within what every OpenAI reasoning model accepts. */
function openAIEffortForBudget(budgetTokens: number): 'low' | 'medium' | 'high' {
  const effort = effortForBudget(budgetTokens);
  return effort === 'minimal' ? 'low' : effort === 'xhigh' ? 'high' : effort;
}

function cacheControlWire(cacheControl: IrCacheControl): OpenAIChatCacheControl {
  return cacheControl.ttl !== undefined ? { type: 'ephemeral', ttl: cacheControl.ttl } : { type: 'ephemeral' };
}

function defaultFilename(mediaType: string): string {
  return mediaType === 'application/pdf' ? 'document.pdf' : 'file';
}

/** Parts of unknown type go back where they were. */
function insertUnknownParts(content: OpenAIChatContentPart[], extras: OpenAIChatMessageExtras): OpenAIChatContentPart[] {
  if (!extras.unknownParts) return content;
  const out = [...content];
  for (const { index, part } of extras.unknownParts) out.splice(index, 0, part as unknown as OpenAIChatContentPart);
  return out;
}
