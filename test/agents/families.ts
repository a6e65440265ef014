import type { NewAccount } from '../../shared/accounts.js';
import { startFakeAnthropicUpstream, toolUseAnswer, type Behaviour as AnthropicBehaviour, type FakeAnthropicUpstream } from '../fakes/fake-anthropic-upstream.js';
import { startFakeGeminiUpstream, type Behaviour as GeminiBehaviour, type FakeGeminiUpstream } from '../fakes/fake-gemini-upstream.js';
import { startFakeOpenAIUpstream, type Behaviour as OpenAIBehaviour, type FakeOpenAIUpstream } from '../fakes/fake-openai-upstream.js';

/** A tool result as the upstream received it, with the call it answers (from the turn before). */
export interface ReceivedToolResult {
  /** The result's call id (Gemini: the function response's id, when the client sent one). */
  callId: string | undefined;
  /** The function name (Gemini ties results by name). */
  name: string | undefined;
  /** The assistant call the result follows, as echoed back upstream. */
  call: { id: string | undefined; name: string } | undefined;
}

/** How the fake answers: a text, or one call to the agent's shell tool. */
export type Answer = { text: string } | { call: ShellCall };
type ShellCall = { id: string; name: string; args: Record<string, unknown> };

/**
 * One upstream family behind Localgate as the agents meet it: the fake, the model everything is
 * mapped to, and family-neutral readings of what the fake received.
 */
export interface Family {
  name: 'openai' | 'anthropic' | 'gemini';
  account: NewAccount;
  /** The fake's model every agent model name is mapped to (Gemini 3 and Claude check signatures). */
  model: string;
  /** Answers each generation request with `decide(body)`. */
  answerWith(decide: (body: any) => Answer): void;
  /** Bodies of the generation requests received, in order. */
  generations(): any[];
  toolNames(body: any): string[];
  /** The tool result(s) in the request's last message. */
  toolResults(body: any): ReceivedToolResult[];
  thinkingOn(body: any): boolean;
  /**
   * Where the family signs: whether the assistant turn echoed in `body` carries back, in its
   * place, the signature the fake issued for it. Undefined where the family has no signatures.
   */
  signatureReturned(body: any): boolean | undefined;
  close(): Promise<void>;
}

const last = <T>(list: T[]): T | undefined => list[list.length - 1];

/** A fake's answer hook: each generation request gets `decide`'s answer as the family's behaviour. */
function answerHook<B>(isGeneration: (path: string) => boolean, decide: (body: any) => Answer, as: { text(text: string): B; call(call: ShellCall): B }) {
  return (request: { path: string; body: any }): B | undefined => {
    if (!isGeneration(request.path)) return undefined;
    const answer = decide(request.body);
    return 'text' in answer ? as.text(answer.text) : as.call(answer.call);
  };
}

export async function openAIFamily(): Promise<Family> {
  const fake: FakeOpenAIUpstream = await startFakeOpenAIUpstream();
  const isGeneration = (path: string) => path === '/v1/chat/completions';
  return {
    name: 'openai',
    account: { provider: 'openai', base_url: fake.baseUrl, api_key: fake.apiKey, label: 'openai' },
    model: 'gpt-4o',
    answerWith(decide) {
      fake.answer = answerHook<OpenAIBehaviour>(isGeneration, decide, { text: (text) => ({ kind: 'ok', text }), call: ({ id, name, args }) => ({ kind: 'tool-calls', toolCalls: [{ id, name, arguments: JSON.stringify(args) }] }) });
    },
    generations: () => fake.requests.filter((r) => isGeneration(r.path)).map((r) => r.body),
    toolNames: (body) => (body.tools ?? []).map((tool: any) => tool.function?.name),
    toolResults(body) {
      const messages: any[] = body.messages ?? [];
      const results = [];
      for (let index = messages.length - 1; index >= 0 && messages[index].role === 'tool'; index--) results.unshift(messages[index]);
      const calls: any[] = messages.findLast((m) => m.role === 'assistant')?.tool_calls ?? [];
      return results.map((result) => {
        const call = calls.find((c) => c.id === result.tool_call_id);
        return { callId: result.tool_call_id, name: undefined, call: call && { id: call.id, name: call.function.name } };
      });
    },
    thinkingOn: (body) => body.reasoning_effort !== undefined && body.reasoning_effort !== 'none',
    signatureReturned: () => undefined,
    close: () => fake.close(),
  };
}

export async function anthropicFamily(): Promise<Family> {
  const fake: FakeAnthropicUpstream = await startFakeAnthropicUpstream();
  const isGeneration = (path: string) => path.split('?')[0] === '/v1/messages';
  return {
    name: 'anthropic',
    account: { provider: 'anthropic', base_url: fake.baseUrl, api_key: fake.apiKey, label: 'anthropic' },
    // Another name than the one Claude Code asks for: mapping is what users do, and the answer must still
    // name the client's model (Claude Code drops the thinking of an answer that names another).
    model: 'claude-sonnet-4-5-20250929',
    answerWith(decide) {
      fake.answer = answerHook<AnthropicBehaviour>(isGeneration, decide, { text: (text) => ({ kind: 'ok', text }), call: ({ id, name, args }) => toolUseAnswer([{ id, name, input: args }]) });
    },
    generations: () => fake.requests.filter((r) => isGeneration(r.path)).map((r) => r.body),
    toolNames: (body) => (body.tools ?? []).map((tool: any) => tool.name),
    toolResults(body) {
      const messages: any[] = body.messages ?? [];
      const lastMessage = last(messages);
      const blocks = (message: any, type: string) => (Array.isArray(message?.content) ? message.content.filter((b: any) => b.type === type) : []);
      const calls: any[] = blocks(messages.findLast((m) => m.role === 'assistant'), 'tool_use');
      return blocks(lastMessage?.role === 'user' ? lastMessage : undefined, 'tool_result').map((result: any) => {
        const call = calls.find((c) => c.id === result.tool_use_id);
        return { callId: result.tool_use_id, name: undefined, call: call && { id: call.id, name: call.name } };
      });
    },
    thinkingOn: (body) => body.thinking?.type === 'enabled' || body.thinking?.type === 'adaptive',
    signatureReturned(body) {
      // Anthropic: the tool-use turn opens with its thinking block, signed as issued.
      const assistant = (body.messages ?? []).findLast((m: any) => m.role === 'assistant');
      const first = Array.isArray(assistant?.content) ? assistant.content[0] : undefined;
      return first?.type === 'thinking' && fake.issuedThinking.get(first.signature) === first.thinking;
    },
    close: () => fake.close(),
  };
}

export async function geminiFamily(): Promise<Family> {
  const fake: FakeGeminiUpstream = await startFakeGeminiUpstream();
  const isGeneration = (path: string) => /:(generateContent|streamGenerateContent)(\?|$)/.test(path);
  const functionCallPart = (content: any) => (content?.parts ?? []).find((part: any) => part.functionCall);
  return {
    name: 'gemini',
    account: { provider: 'gemini', base_url: fake.baseUrl, api_key: fake.apiKey, label: 'gemini' },
    model: 'gemini-3-pro-preview',
    answerWith(decide) {
      fake.answer = answerHook<GeminiBehaviour>(isGeneration, decide, { text: (text) => ({ kind: 'ok', text }), call: ({ id, name, args }) => ({ kind: 'function-call', calls: [{ id, name, args }] }) });
    },
    generations: () => fake.requests.filter((r) => isGeneration(r.path)).map((r) => r.body),
    toolNames: (body) => (body.tools ?? []).flatMap((tool: any) => (tool.functionDeclarations ?? []).map((d: any) => d.name)),
    toolResults(body) {
      const contents: any[] = body.contents ?? [];
      const lastContent = last(contents);
      const call = functionCallPart(contents.findLast((c) => c.role === 'model'))?.functionCall;
      return (lastContent?.parts ?? [])
        .filter((part: any) => part.functionResponse)
        .map((part: any) => ({ callId: part.functionResponse.id, name: part.functionResponse.name, call: call && { id: call.id, name: call.name } }));
    },
    thinkingOn(body) {
      // A budget of 0 turns thinking off; a level, another budget or asking for thoughts turns it on.
      const config = body.generationConfig?.thinkingConfig;
      if (config === undefined || config.thinkingBudget === 0) return false;
      return config.includeThoughts === true || config.thinkingBudget !== undefined || config.thinkingLevel !== undefined;
    },
    signatureReturned(body) {
      // Gemini 3: the model turn's first function call carries the signature issued with it.
      const signature = functionCallPart((body.contents ?? []).findLast((c: any) => c.role === 'model'))?.thoughtSignature;
      return typeof signature === 'string' && fake.issuedSignatures.has(signature);
    },
    close: () => fake.close(),
  };
}

export const FAMILIES: Record<Family['name'], () => Promise<Family>> = { openai: openAIFamily, anthropic: anthropicFamily, gemini: geminiFamily };
