import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropicUpstream, toolUseAnswer, type FakeAnthropicUpstream } from './fakes/fake-anthropic-upstream.js';
import { startFakeGeminiUpstream, type FakeGeminiUpstream } from './fakes/fake-gemini-upstream.js';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from './fakes/fake-openai-upstream.js';
import { openService } from './helpers/running-service.js';

/**
 * Codex edits files with `apply_patch`, a Responses custom (free-form) tool: its input is raw
 * text in a Lark grammar, not JSON. No other family has such tools, so every account gets it as
 * a function with one string parameter, and the model's call comes back to the client as a
 * `custom_tool_call` whose `input` is the raw patch, byte for byte. The second turn (the call and
 * its `custom_tool_call_output`) reaches the upstream as a call tied to its result.
 */

const PATCH = ['*** Begin Patch', '*** Add File: hello.txt', '+héllo "world" \\ 🙂', '*** End Patch'].join('\n');
const GRAMMAR = 'start: begin_patch hunk+ end_patch\nbegin_patch: "*** Begin Patch" LF\nend_patch: "*** End Patch" LF?';
const APPLY_PATCH: OpenAI.Responses.CustomTool = {
  type: 'custom',
  name: 'apply_patch',
  description: 'Use the `apply_patch` tool to edit files.',
  format: { type: 'grammar', syntax: 'lark', definition: GRAMMAR },
};
const SHELL: OpenAI.Responses.FunctionTool = { type: 'function', name: 'shell', description: 'Run a command', parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'] }, strict: false };

type Family = 'openai' | 'anthropic' | 'gemini';

describe('Responses custom tools (Codex apply_patch) on every account family', () => {
  let openai: FakeOpenAIUpstream;
  let anthropic: FakeAnthropicUpstream;
  let gemini: FakeGeminiUpstream;
  const harnesses: Record<Family, Awaited<ReturnType<typeof openService>>> = {} as never;

  beforeAll(async () => {
    openai = await startFakeOpenAIUpstream();
    anthropic = await startFakeAnthropicUpstream();
    gemini = await startFakeGeminiUpstream();
    const accounts = {
      openai: { base_url: openai.baseUrl, api_key: openai.apiKey, model: 'gpt-4o-mini' },
      anthropic: { base_url: anthropic.baseUrl, api_key: anthropic.apiKey, model: 'claude-sonnet-4-5' },
      gemini: { base_url: gemini.baseUrl, api_key: gemini.apiKey, model: 'gemini-2.5-flash' },
    };
    for (const family of ['openai', 'anthropic', 'gemini'] as const) {
      const { model, ...account } = accounts[family];
      const harness = await openService({ auth_mode: 'off', model_mapping: { 'codex-model': model } });
      harness.service.addAccount({ provider: family, label: family, ...account });
      await harness.service.startProxy();
      harnesses[family] = harness;
    }
  });
  afterAll(async () => {
    for (const harness of Object.values(harnesses)) await harness.close();
    await Promise.all([openai.close(), anthropic.close(), gemini.close()]);
  });

  /** The fake answers the first turn with a call of apply_patch, its arguments `{"input": PATCH}`. */
  const queueCall = (family: Family) => {
    if (family === 'openai') openai.queue.push({ kind: 'tool-calls', toolCalls: [{ id: 'call_patch_1', name: 'apply_patch', arguments: JSON.stringify({ input: PATCH }) }] });
    if (family === 'anthropic') anthropic.queue.push(toolUseAnswer([{ id: 'toolu_patch_1', name: 'apply_patch', input: { input: PATCH } }], { pieces: 5 }));
    if (family === 'gemini') gemini.queue.push({ kind: 'function-call', calls: [{ name: 'apply_patch', args: { input: PATCH } }] });
  };
  const lastRequest = (family: Family) => ({ openai, anthropic, gemini })[family].requests.filter((request) => request.method === 'POST').at(-1)!.body;

  /** What the upstream was told about the tool: a function whose one string parameter carries the grammar. */
  const declaredTool = (family: Family, body: any) => {
    if (family === 'openai') return { name: body.tools[0].function.name, schema: body.tools[0].function.parameters };
    if (family === 'anthropic') return { name: body.tools[0].name, schema: body.tools[0].input_schema };
    return { name: body.tools[0].functionDeclarations[0].name, schema: body.tools[0].functionDeclarations[0].parameters ?? body.tools[0].functionDeclarations[0].parametersJsonSchema };
  };

  /** The second turn as the upstream saw it: the call's input and the result tied to it. */
  const replayed = (family: Family, body: any): { input: unknown; result: string } => {
    if (family === 'openai') {
      const assistant = body.messages.find((message: any) => message.role === 'assistant');
      const tool = body.messages.find((message: any) => message.role === 'tool');
      expect(tool.tool_call_id).toBe(assistant.tool_calls[0].id);
      return { input: JSON.parse(assistant.tool_calls[0].function.arguments).input, result: tool.content };
    }
    if (family === 'anthropic') {
      const use = body.messages.flatMap((message: any) => (Array.isArray(message.content) ? message.content : [])).find((block: any) => block.type === 'tool_use');
      const result = body.messages.flatMap((message: any) => (Array.isArray(message.content) ? message.content : [])).find((block: any) => block.type === 'tool_result');
      expect(result.tool_use_id).toBe(use.id);
      const content = typeof result.content === 'string' ? result.content : result.content.map((part: any) => part.text).join('');
      return { input: use.input.input, result: content };
    }
    const parts = body.contents.flatMap((content: any) => content.parts);
    const call = parts.find((part: any) => part.functionCall);
    const response = parts.find((part: any) => part.functionResponse);
    expect(response.functionResponse.name).toBe('apply_patch');
    return { input: call.functionCall.args.input, result: JSON.stringify(response.functionResponse.response) };
  };

  for (const family of ['openai', 'anthropic', 'gemini'] as const) {
    for (const stream of [false, true]) {
      it(`${family} account, ${stream ? 'streamed' : 'not streamed'}: apply_patch arrives as a custom_tool_call with the raw patch, and its output goes back tied to it`, async () => {
        const client = new OpenAI({ baseURL: `${harnesses[family].origin()}/v1`, apiKey: 'sk-codex', maxRetries: 0 });
        const input: OpenAI.Responses.ResponseInput = [{ role: 'user', content: 'Create hello.txt' }];
        const ask = () => {
          const request = { model: 'codex-model', tools: [APPLY_PATCH, SHELL], input };
          return stream ? client.responses.stream(request).finalResponse() : client.responses.create(request);
        };

        queueCall(family);
        const first = await ask();
        const declared = declaredTool(family, lastRequest(family));
        expect(declared.name).toBe('apply_patch');
        expect(declared.schema.required).toEqual(['input']);
        expect(declared.schema.properties.input.type.toLowerCase()).toBe('string');
        expect(declared.schema.properties.input.description).toContain(GRAMMAR);

        const call = first.output.find((item) => item.type === 'custom_tool_call');
        expect(call).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch', input: PATCH });
        expect(first.output.some((item) => item.type === 'function_call')).toBe(false);
        if (call?.type !== 'custom_tool_call') throw new Error('no custom_tool_call');

        input.push(call, { type: 'custom_tool_call_output', call_id: call.call_id, output: 'Done! A hello.txt' });
        const second = await ask();
        expect(second.output_text).not.toBe('');
        const turn2 = replayed(family, lastRequest(family));
        expect(turn2.input).toBe(PATCH);
        expect(turn2.result).toContain('Done! A hello.txt');
      });
    }
  }
});
