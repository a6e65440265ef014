import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { openService } from './helpers/running-service.js';

/**
 * 5,000 requests, 50 at a time, through both client protocols to both upstream families (so
 * pass-through and translation both run, streamed and not). Each prompt carries a unique token
 * that the upstream echoes, prefixed with its family: a lost, swapped or mis-routed response shows
 * up as a missing or foreign token. Memory must come back near where it started.
 */
const TOTAL = 5_000;
const CONCURRENCY = 50;
const OPENAI_MODEL = 'gpt-soak';
const ANTHROPIC_MODEL = 'claude-soak';

/** `global.gc` without a vitest flag: V8 exposes it to a fresh context once the flag is set. */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function heapAfterGc(gc: () => void): Promise<number> {
  for (let i = 0; i < 4; i += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage().heapUsed;
}

describe('soak', () => {
  let harness: Awaited<ReturnType<typeof openService>>;
  const upstreams: Array<{ server: Server; url: string; served: { count: number } }> = [];

  beforeAll(async () => {
    const openai = await startEchoUpstream('openai');
    const anthropic = await startEchoUpstream('anthropic');
    upstreams.push(openai, anthropic);
    harness = await openService({ auth_mode: 'off' });
    harness.service.addAccount({ provider: 'openai', base_url: `${openai.url}/v1`, api_key: 'sk-soak-openai-upstream', models: [OPENAI_MODEL], label: 'soak-openai' });
    harness.service.addAccount({ provider: 'anthropic', base_url: anthropic.url, api_key: 'sk-ant-soak-upstream', models: [ANTHROPIC_MODEL], label: 'soak-anthropic' });
    await harness.service.startProxy();
  });
  afterAll(async () => {
    await harness?.close();
    for (const { server } of upstreams) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it(`${TOTAL} requests, ${CONCURRENCY} concurrent, mixed: none lost or mis-routed, memory back near baseline`, async () => {
    const gc = collectGarbage();
    const openaiClient = new OpenAI({ baseURL: `${harness.origin()}/v1`, apiKey: 'unused', maxRetries: 0 });
    const anthropicClient = new Anthropic({ baseURL: harness.origin(), apiKey: 'unused', maxRetries: 0 });

    /** One request; returns the text the client saw and the family that must have served it. */
    async function one(n: number): Promise<{ token: string; family: string; text: string }> {
      const token = `tok-${n}-${Math.random().toString(36).slice(2, 10)}`;
      const viaOpenAI = n % 2 === 0;
      const family = (n >> 1) % 2 === 0 ? 'openai' : 'anthropic';
      const model = family === 'openai' ? OPENAI_MODEL : ANTHROPIC_MODEL;
      const stream = (n >> 2) % 2 === 0;
      const content = `please echo ${token}`;
      let text = '';
      if (viaOpenAI) {
        if (stream) {
          const chunks = await openaiClient.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content }] });
          for await (const chunk of chunks) text += chunk.choices[0]?.delta.content ?? '';
        } else {
          const reply = await openaiClient.chat.completions.create({ model, messages: [{ role: 'user', content }] });
          text = reply.choices[0]?.message.content ?? '';
        }
      } else if (stream) {
        const events = await anthropicClient.messages.create({ model, max_tokens: 64, stream: true, messages: [{ role: 'user', content }] });
        for await (const event of events) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      } else {
        const reply = await anthropicClient.messages.create({ model, max_tokens: 64, messages: [{ role: 'user', content }] });
        text = reply.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
      }
      return { token, family, text };
    }

    const failures: string[] = [];
    let completed = 0;
    async function run(from: number, count: number): Promise<void> {
      let next = from;
      const end = from + count;
      const worker = async () => {
        while (next < end) {
          const n = next++;
          try {
            const { token, family, text } = await one(n);
            if (text !== `${family}-echo: please echo ${token}`) failures.push(`#${n}: expected ${family} echo of ${token}, got ${JSON.stringify(text.slice(0, 120))}`);
          } catch (error) {
            failures.push(`#${n}: ${(error as Error).message}`);
          }
          completed += 1;
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    }

    // Warm-up: JIT, keep-alive sockets, lazily loaded codecs; then the baseline.
    await run(0, 400);
    const baseline = await heapAfterGc(gc);
    await run(400, TOTAL - 400);
    expect(completed).toBe(TOTAL);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(upstreams.reduce((sum, u) => sum + u.served.count, 0)).toBe(TOTAL);

    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await heapAfterGc(gc);
    const grewMb = (after - baseline) / 1024 / 1024;
    expect(grewMb, `heap ${Math.round(baseline / 1e6)} MB → ${Math.round(after / 1e6)} MB`).toBeLessThan(50);
  }, 120_000);
});

async function readJson(request: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function lastUserText(messages: any[]): string {
  const last = [...messages].reverse().find((m) => m.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return (last.content as any[]).map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/**
 * A minimal upstream of one family that echoes the last user message as `<family>-echo: <text>`,
 * as JSON or as a stream cut into several events. It records nothing per request (a recording
 * fake would itself grow the heap this test measures), only a count.
 */
async function startEchoUpstream(family: 'openai' | 'anthropic') {
  const served = { count: 0 };
  const server = createServer((request, response) => {
    void echo(family, request, response).then(() => (served.count += 1), () => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, served };
}

async function echo(family: 'openai' | 'anthropic', request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readJson(request);
  const text = `${family}-echo: ${lastUserText(body.messages)}`;
  const pieces = text.split(/(?<= )/);
  const usage = { input: 9, output: pieces.length };
  if (!body.stream) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(
        family === 'openai'
          ? { id: 'chatcmpl-soak', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } }
          : { id: 'msg_soak', type: 'message', role: 'assistant', model: body.model, content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: usage.input, output_tokens: usage.output } },
      ),
    );
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  const write = (frame: string) => response.write(frame);
  if (family === 'openai') {
    const chunk = (delta: object, finish: string | null) => `data: ${JSON.stringify({ id: 'chatcmpl-soak', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    write(chunk({ role: 'assistant', content: '' }, null));
    for (const piece of pieces) {
      write(chunk({ content: piece }, null));
      await new Promise((resolve) => setImmediate(resolve));
    }
    write(chunk({}, 'stop'));
    response.end('data: [DONE]\n\n');
    return;
  }
  const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  write(event('message_start', { message: { id: 'msg_soak', type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input, output_tokens: 1 } } }));
  write(event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
  for (const piece of pieces) {
    write(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }));
    await new Promise((resolve) => setImmediate(resolve));
  }
  write(event('content_block_stop', { index: 0 }));
  write(event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output } }));
  response.end(event('message_stop', {}));
}
