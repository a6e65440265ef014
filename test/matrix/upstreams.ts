import type { NewAccount } from '../../shared/accounts.js';
import { startFakeAnthropicUpstream, toolUseAnswer, type FakeAnthropicUpstream } from '../fakes/fake-anthropic-upstream.js';
import { startFakeGeminiUpstream, type FakeGeminiUpstream } from '../fakes/fake-gemini-upstream.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../fakes/fake-openai-upstream.js';

/** A tool call as every test states it, whatever the protocols. */
export interface Call {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** A tool result as an upstream received it, normalised across families. */
export interface ReceivedToolResult {
  /** The call id (OpenAI, Anthropic) or, for Gemini, the function-response id when sent. */
  id: string | undefined;
  /** The function name, where the family carries it (Gemini). */
  name: string | undefined;
  content: string;
}

/** What a matrix test needs of an upstream family, whatever its wire format. */
export interface UpstreamUnderTest {
  family: 'openai' | 'anthropic' | 'gemini';
  account: NewAccount;
  answerText(text: string): void;
  /** Tool calls, streamed with the arguments split into pieces where the format streams them. */
  answerToolCalls(calls: Call[]): void;
  /** A client error (400) with this message in the family's own error body. */
  answerError(message: string): void;
  /** The last generation request's body, and normalised readings of it. */
  lastBody(): any;
  lastPath(): string;
  userTexts(body: any): string[];
  systemText(body: any): string;
  toolNames(body: any): string[];
  toolResults(body: any): ReceivedToolResult[];
  /** The assistant's earlier tool calls as echoed back upstream. */
  assistantCalls(body: any): Array<{ id: string | undefined; name: string; args: Record<string, unknown> }>;
  maxTokens(body: any): number | undefined;
  close(): Promise<void>;
}

const textOf = (content: any): string =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((part: any) => part.text ?? '').join('') : '';

export async function openAIUpstream(): Promise<UpstreamUnderTest> {
  const fake: FakeOpenAIUpstream = await startFakeOpenAIUpstream();
  const generations = () => fake.requests.filter((r) => r.path === '/v1/chat/completions');
  return {
    family: 'openai',
    account: { provider: 'openai', base_url: fake.baseUrl, api_key: fake.apiKey, label: 'openai-upstream' },
    answerText: (text) => void (fake.fallback = { kind: 'ok', text }),
    answerToolCalls: (calls) =>
      void (fake.fallback = {
        kind: 'tool-calls',
        toolCalls: calls.map((call) => ({ id: call.id, name: call.name, arguments: JSON.stringify(call.args) })),
        pieces: 4,
        argumentsBeforeId: true,
        interleave: true,
      }),
    answerError: (message) => void (fake.fallback = { kind: 'error', status: 400, type: 'invalid_request_error', code: 'invalid_value', message }),
    lastBody: () => generations().at(-1)?.body,
    lastPath: () => generations().at(-1)?.path ?? '',
    userTexts: (body) => body.messages.filter((m: any) => m.role === 'user').map((m: any) => textOf(m.content)),
    systemText: (body) => body.messages.filter((m: any) => m.role === 'system' || m.role === 'developer').map((m: any) => textOf(m.content)).join('\n'),
    toolNames: (body) => (body.tools ?? []).map((tool: any) => tool.function.name),
    toolResults: (body) => body.messages.filter((m: any) => m.role === 'tool').map((m: any) => ({ id: m.tool_call_id, name: undefined, content: textOf(m.content) })),
    assistantCalls: (body) =>
      body.messages.flatMap((m: any) => (m.role === 'assistant' ? (m.tool_calls ?? []) : [])).map((c: any) => ({ id: c.id, name: c.function.name, args: JSON.parse(c.function.arguments) })),
    maxTokens: (body) => body.max_completion_tokens ?? body.max_tokens,
    close: () => fake.close(),
  };
}

export async function anthropicUpstream(): Promise<UpstreamUnderTest> {
  const fake: FakeAnthropicUpstream = await startFakeAnthropicUpstream();
  const generations = () => fake.requests.filter((r) => r.path.startsWith('/v1/messages') && !r.path.includes('count_tokens'));
  const blocks = (body: any, role: string, type: string) =>
    body.messages.filter((m: any) => m.role === role).flatMap((m: any) => (Array.isArray(m.content) ? m.content.filter((b: any) => b.type === type) : []));
  return {
    family: 'anthropic',
    account: { provider: 'anthropic', base_url: fake.baseUrl, api_key: fake.apiKey, label: 'anthropic-upstream' },
    answerText: (text) => void (fake.fallback = { kind: 'ok', text }),
    answerToolCalls: (calls) => void (fake.fallback = toolUseAnswer(calls.map((call) => ({ id: call.id, name: call.name, input: call.args })), { pieces: 4 })),
    answerError: (message) => void (fake.fallback = { kind: 'error', status: 400, type: 'invalid_request_error', message }),
    lastBody: () => generations().at(-1)?.body,
    lastPath: () => generations().at(-1)?.path ?? '',
    userTexts: (body) =>
      body.messages
        .filter((m: any) => m.role === 'user')
        .map((m: any) => (typeof m.content === 'string' ? m.content : m.content.filter((b: any) => b.type === 'text').map((b: any) => b.text).join('')))
        .filter((text: string) => text !== ''),
    systemText: (body) => textOf(body.system),
    toolNames: (body) => (body.tools ?? []).map((tool: any) => tool.name),
    toolResults: (body) => blocks(body, 'user', 'tool_result').map((b: any) => ({ id: b.tool_use_id, name: undefined, content: textOf(b.content) })),
    assistantCalls: (body) => blocks(body, 'assistant', 'tool_use').map((b: any) => ({ id: b.id, name: b.name, args: b.input })),
    maxTokens: (body) => body.max_tokens,
    close: () => fake.close(),
  };
}

export async function geminiUpstream(): Promise<UpstreamUnderTest> {
  const fake: FakeGeminiUpstream = await startFakeGeminiUpstream({ models: ['matrix-model'] });
  const generations = () => fake.requests.filter((r) => /:(generateContent|streamGenerateContent)/.test(r.path));
  const parts = (body: any, role: string) => body.contents.filter((c: any) => c.role === role).flatMap((c: any) => c.parts);
  return {
    family: 'gemini',
    account: { provider: 'gemini', base_url: fake.baseUrl, api_key: fake.apiKey, label: 'gemini-upstream' },
    answerText: (text) => void (fake.fallback = { kind: 'ok', text }),
    answerToolCalls: (calls) => void (fake.fallback = { kind: 'function-call', calls: calls.map((call) => ({ name: call.name, args: call.args })) }),
    answerError: (message) => void (fake.fallback = { kind: 'error', status: 400, rpcStatus: 'INVALID_ARGUMENT', message }),
    lastBody: () => generations().at(-1)?.body,
    lastPath: () => generations().at(-1)?.path ?? '',
    userTexts: (body) =>
      body.contents
        .filter((c: any) => c.role === 'user')
        .map((c: any) => c.parts.filter((p: any) => typeof p.text === 'string').map((p: any) => p.text).join(''))
        .filter((text: string) => text !== ''),
    systemText: (body) => (body.systemInstruction?.parts ?? []).map((p: any) => p.text).join('\n'),
    toolNames: (body) => (body.tools ?? []).flatMap((tool: any) => (tool.functionDeclarations ?? []).map((f: any) => f.name)),
    toolResults: (body) =>
      // The older Gemini SDK sends results in a `function` role turn; newer clients in `user`.
      body.contents
        .flatMap((c: any) => c.parts)
        .filter((p: any) => p.functionResponse)
        .map((p: any) => {
          const response = p.functionResponse.response;
          return { id: p.functionResponse.id, name: p.functionResponse.name, content: JSON.stringify(response) };
        }),
    assistantCalls: (body) => parts(body, 'model').filter((p: any) => p.functionCall).map((p: any) => ({ id: p.functionCall.id, name: p.functionCall.name, args: p.functionCall.args })),
    maxTokens: (body) => body.generationConfig?.maxOutputTokens,
    close: () => fake.close(),
  };
}

export const UPSTREAMS = { openai: openAIUpstream, anthropic: anthropicUpstream, gemini: geminiUpstream } as const;
