import { randomUUID } from 'node:crypto';
import type { IrRequest, IrResponseFormat, IrToolChoice } from '../../ir/ir-request.js';
import type {
  ResponsesErrorObject,
  ResponsesIncompleteDetails,
  ResponsesOutputItem,
  ResponsesResponseObject,
  ResponsesStatus,
  ResponsesUsage,
} from './wire.js';
import { echoResponsesWebSearchTool } from './web-search.js';

/**
 * The request-derived fields a Response object echoes (`instructions`, `tools`, `tool_choice`,
 * sampling, `text`, `reasoning`…). Computed once per request: a stream repeats them in
 * `response.created`, `response.in_progress` and the terminal event.
 * @see https://platform.openai.com/docs/api-reference/responses/object
 */
export type ResponseEcho = Record<string, unknown>;

export function buildResponseEcho(request: IrRequest): ResponseEcho {
  const extras = request.extras['openai-responses'] ?? {};
  const echo: ResponseEcho = {
    instructions: extras.instructions ?? null,
    max_output_tokens: request.sampling.maxOutputTokens ?? null,
    parallel_tool_calls: request.parallelToolCalls ?? true,
    previous_response_id: extras.previous_response_id ?? null,
    reasoning: extras.reasoning ?? { effort: request.reasoning?.effort ?? null, summary: null },
    store: extras.store ?? false,
    temperature: request.sampling.temperature ?? null,
    text: extras.text ?? { format: textFormat(request.responseFormat) },
    tool_choice: toolChoice(request.toolChoice),
    tools: [
      ...request.tools.map((tool) =>
        tool.freeform
          ? { type: 'custom', name: tool.name, description: tool.description ?? null, ...(tool.freeform.format ? { format: tool.freeform.format } : {}) }
          : { type: 'function', name: tool.name, description: tool.description ?? null, parameters: tool.parameters, strict: tool.strict ?? null },
      ),
      ...(request.serverTools ?? []).map(echoResponsesWebSearchTool),
    ],
    top_p: request.sampling.topP ?? null,
    truncation: extras.truncation ?? 'disabled',
    metadata: extras.metadata ?? {},
  };
  if (request.user !== undefined) echo.user = request.user;
  if (extras.prompt_cache_key !== undefined) echo.prompt_cache_key = extras.prompt_cache_key;
  if (extras.service_tier !== undefined) echo.service_tier = extras.service_tier;
  if (extras.safety_identifier !== undefined) echo.safety_identifier = extras.safety_identifier;
  return echo;
}

export interface ResponseState {
  id: string;
  model: string;
  createdAt: number;
  status: ResponsesStatus;
  output: ResponsesOutputItem[];
  usage: ResponsesUsage | null;
  incompleteDetails?: ResponsesIncompleteDetails | null;
  error?: ResponsesErrorObject | null;
}

export function buildResponseObject(state: ResponseState, echo: ResponseEcho): ResponsesResponseObject {
  return {
    id: state.id,
    object: 'response',
    created_at: state.createdAt,
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incompleteDetails ?? null,
    model: state.model,
    output: state.output,
    usage: state.usage,
    ...echo,
  };
}

/** Responses ids start with `resp_`; an upstream id (`chatcmpl-…`, `msg_…`) is kept after it. */
export function toResponseId(id: string | undefined): string {
  if (id === undefined || id === '') return `resp_${randomUUID().replaceAll('-', '')}`;
  return id.startsWith('resp_') ? id : `resp_${id}`;
}

/** Item ids (`msg_…`, `fc_…`, `rs_…`) derived from the response id and the output index. */
export function outputItemId(prefix: 'msg' | 'fc' | 'ctc' | 'rs' | 'ws', responseId: string, outputIndex: number): string {
  return `${prefix}_${responseId.slice('resp_'.length)}_${outputIndex}`;
}

function textFormat(format: IrResponseFormat | undefined): Record<string, unknown> {
  switch (format?.type) {
    case undefined:
    case 'text':
      return { type: 'text' };
    case 'json':
      return { type: 'json_object' };
    case 'json-schema':
      return { type: 'json_schema', name: format.name ?? 'response', schema: format.schema, strict: format.strict ?? null };
  }
}

function toolChoice(choice: IrToolChoice | undefined): unknown {
  if (choice === undefined) return 'auto';
  return choice.type === 'tool' ? { type: 'function', name: choice.name } : choice.type;
}
