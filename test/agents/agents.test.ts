import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openService } from '../helpers/running-service.js';
import { AGENTS, type Agent } from './agents.js';
import { FAMILIES, type Answer, type Family } from './families.js';
import { runAgent } from './run-agent.js';

/**
 * The real coding agents (Claude Code, Codex, Gemini CLI, pinned) against Localgate with one
 * account of each family on the test fakes: a plain prompt, a round trip through the agent's own
 * shell tool, and the same with thinking on — 27 runs; and Codex's apply_patch on each family (below). Started by `npm run test:agents`
 * (scripts/test-agents.mjs), which installs the agents and runs this inside a network namespace
 * with only loopback: nothing here can reach the internet.
 */
const BIN_DIR = process.env.LOCALGATE_AGENTS_BIN;
const RUN_TIMEOUT_MS = 90_000;
const MARKER_COMMAND = 'echo localgate-ok > marker.txt';
const PLAIN_ANSWER = 'localgate-plain-ok';
const FINAL_ANSWER = 'localgate-tool-round-trip-done';
const SIDE_ANSWER = 'ok';
const CALL_ID = 'call_localgate_marker_1';

type Scenario = 'plain' | 'tool' | 'thinking';
const SCENARIOS: Record<Scenario, { prompt: string; thinking: boolean }> = {
  plain: { prompt: 'Reply with one word.', thinking: false },
  tool: { prompt: `Run this shell command: ${MARKER_COMMAND}`, thinking: false },
  thinking: { prompt: `Think, then run this shell command: ${MARKER_COMMAND}`, thinking: true },
};

describe('the network namespace', () => {
  it('has no route out: a connection to a public address fails at once', async () => {
    expect(BIN_DIR, 'run through `npm run test:agents`, which installs the agents and sets LOCALGATE_AGENTS_BIN').toBeTruthy();
    const code = await new Promise<string>((resolve) => {
      const socket = connect({ host: '1.1.1.1', port: 443 });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
    });
    expect(code).toBe('ENETUNREACH');
  });
});

describe('the agents cache', () => {
  it.each(AGENTS)('holds the pinned $name $version', async (agent) => {
    const exit = await runAgent(path.join(BIN_DIR!, agent.bin), ['--version'], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? '', HOME: tmpdir() }, timeoutMs: 30_000 });
    expect(exit.stdout).toContain(agent.version);
  });
});

/** What the fake answers: the scenario's script, decided from each request itself. */
function script(agent: Agent, family: Family, scenario: Scenario): (body: any) => Answer {
  return (body) => {
    if (scenario === 'plain') return { text: PLAIN_ANSWER };
    if (family.toolResults(body).length > 0) return { text: FINAL_ANSWER };
    if (family.toolNames(body).includes(agent.shellTool)) return { call: { id: CALL_ID, name: agent.shellTool, args: agent.shellArguments(MARKER_COMMAND) } };
    return { text: SIDE_ANSWER }; // the agent's side requests (titles, summaries): no tools
  };
}

/** Where a run that hung stopped, from what the upstream saw. */
function stepAtTimeout(scenario: Scenario, turn1: unknown, turn2: unknown): string {
  if (!turn1) return 'turn 1 (the prompt never reached the upstream)';
  if (scenario !== 'plain' && !turn2) return 'the tool call (turn 1 was answered with it; no turn 2 with its result reached the upstream)';
  return 'the last turn (it reached the upstream; its answer never ended, or the agent never finished)';
}

/** A fake of the family and a Localgate service with its one account, every model mapped to the fake's. */
function proxyOverFamily(familyName: Family['name']): { family: Family; harness: Awaited<ReturnType<typeof openService>> } {
  const setup = {} as { family: Family; harness: Awaited<ReturnType<typeof openService>> };
  beforeAll(async () => {
    setup.family = await FAMILIES[familyName]();
    setup.harness = await openService({ model_mapping: { '*': setup.family.model } });
    setup.harness.service.addAccount(setup.family.account);
    await setup.harness.service.startProxy();
  });
  afterAll(async () => {
    await setup.harness?.close();
    await setup.family?.close();
  });
  return setup;
}

for (const agent of AGENTS) {
  for (const familyName of Object.keys(FAMILIES) as Family['name'][]) {
    describe(`${agent.name} ${agent.version} → ${familyName} account`, () => {
      const setup = proxyOverFamily(familyName);

      for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
        it(scenario, async () => {
          const { family, harness } = setup;
          const seenBefore = family.generations().length;
          family.answerWith(script(agent, family, scenario));
          const home = mkdtempSync(path.join(tmpdir(), `agent-${agent.name}-home-`));
          const cwd = mkdtempSync(path.join(tmpdir(), `agent-${agent.name}-cwd-`));
          try {
            const run = agent.prepare({ home, origin: harness.origin(), prompt: SCENARIOS[scenario].prompt, thinking: SCENARIOS[scenario].thinking });
            const exit = await runAgent(path.join(BIN_DIR!, agent.bin), run.args, { cwd, env: { PATH: process.env.PATH ?? '', ...run.env }, timeoutMs: RUN_TIMEOUT_MS });
            const bodies = family.generations().slice(seenBefore);
            const main = bodies.filter((body) => family.toolNames(body).includes(agent.shellTool));
            const turn1 = main.find((body) => family.toolResults(body).length === 0);
            const turn2 = main.find((body) => family.toolResults(body).length > 0);
            const lastBody = JSON.stringify(bodies.at(-1)?.messages?.slice(1) ?? bodies.at(-1)?.contents?.slice(1) ?? null).slice(0, 3000);
            const thinkingFields = JSON.stringify(main.map((body) => ({ thinking: body.thinking, reasoning_effort: body.reasoning_effort, thinkingConfig: body.generationConfig?.thinkingConfig })));
            const report = `exit ${exit.code}; upstream saw ${bodies.length} generation request(s), turn 1 ${turn1 ? 'yes' : 'no'}, turn 2 ${turn2 ? 'yes' : 'no'}; thinking per turn ${thinkingFields}\n--- last upstream request, after the first message\n${lastBody}\n--- stdout\n${exit.stdout.slice(-3000)}\n--- stderr\n${exit.stderr.slice(-3000)}`;
            if (exit.timedOut) {
              expect.fail(`timed out after ${RUN_TIMEOUT_MS / 1000} s at step: ${stepAtTimeout(scenario, turn1, turn2)}\n${report}`);
            }
            expect(exit.code, report).toBe(0);

            expect(turn1, `turn 1 declares ${agent.shellTool}\n${report}`).toBeDefined();
            // Off unless asked for: the thinking runs differ from the others by exactly that — except
            // that Gemini 3 Pro cannot stop thinking (its least is thinkingLevel low, what Localgate
            // sends for "no reasoning").
            if (SCENARIOS[scenario].thinking || family.name !== 'gemini') {
              expect(family.thinkingOn(turn1), `thinking in turn 1\n${report}`).toBe(SCENARIOS[scenario].thinking);
            }
            if (scenario === 'plain') {
              expect(agent.answerText(exit.stdout), report).toContain(PLAIN_ANSWER);
              return;
            }
            expect(readFileSync(path.join(cwd, 'marker.txt'), 'utf8').trim(), report).toBe('localgate-ok');
            expect(turn2, `turn 2 carries the tool result\n${report}`).toBeDefined();
            const [result] = family.toolResults(turn2);
            expect(result!.call, 'turn 2 echoes the call the result answers').toMatchObject({ name: agent.shellTool });
            // Tied to its call by id (Gemini: by name, and by id where the ids were sent).
            if (family.name === 'gemini') expect(result!.name).toBe(agent.shellTool);
            if (family.name !== 'gemini' || result!.callId !== undefined) expect(result!.callId).toBe(CALL_ID);
            if (family.name !== 'gemini' || result!.call!.id !== undefined) expect(result!.call!.id).toBe(CALL_ID);
            expect(agent.answerText(exit.stdout), report).toContain(FINAL_ANSWER);

            expect(family.thinkingOn(turn2), `thinking in turn 2 as in turn 1\n${report}`).toBe(family.thinkingOn(turn1));
            // Signatures back where they belong: Gemini 3 signs every call; Anthropic signs thinking.
            const signs = family.name === 'gemini' || (family.name === 'anthropic' && SCENARIOS[scenario].thinking);
            if (signs) expect(family.signatureReturned(turn2), 'the signature issued in turn 1 is back in turn 2').toBe(true);
          } finally {
            rmSync(home, { recursive: true, force: true });
            rmSync(cwd, { recursive: true, force: true });
          }
        });
      }
    });
  }
}

/**
 * Codex edits files with `apply_patch`, a Responses custom (free-form) tool. On every family the
 * upstream sees a function with one string input; the model's call reaches Codex as a
 * `custom_tool_call` carrying the raw patch, and Codex applies it to the working tree.
 */
const PATCH_FILE = 'patched.txt';
const PATCH_LINE = 'héllo from localgate 🙂';
const PATCH = ['*** Begin Patch', `*** Add File: ${PATCH_FILE}`, `+${PATCH_LINE}`, '*** End Patch', ''].join('\n');
const PATCH_CALL_ID = 'call_localgate_patch_1';

for (const familyName of Object.keys(FAMILIES) as Family['name'][]) {
  describe(`codex applies a real patch (apply_patch) → ${familyName} account`, () => {
    const setup = proxyOverFamily(familyName);
    const codex = AGENTS.find((agent) => agent.name === 'codex')!;

    it('patch', async () => {
      const { family, harness } = setup;
      const seenBefore = family.generations().length;
      family.answerWith((body) => {
        if (family.toolResults(body).length > 0) return { text: FINAL_ANSWER };
        if (family.toolNames(body).includes('apply_patch')) return { call: { id: PATCH_CALL_ID, name: 'apply_patch', args: { input: PATCH } } };
        return { text: SIDE_ANSWER };
      });
      const home = mkdtempSync(path.join(tmpdir(), 'agent-codex-home-'));
      const cwd = mkdtempSync(path.join(tmpdir(), 'agent-codex-cwd-'));
      try {
        const run = codex.prepare({ home, origin: harness.origin(), prompt: `Create ${PATCH_FILE} with apply_patch.`, thinking: false });
        const exit = await runAgent(path.join(BIN_DIR!, codex.bin), run.args, { cwd, env: { PATH: process.env.PATH ?? '', ...run.env }, timeoutMs: RUN_TIMEOUT_MS });
        const bodies = family.generations().slice(seenBefore);
        const report = `exit ${exit.code}; upstream saw ${bodies.length} request(s); tools ${JSON.stringify(bodies.map((body) => family.toolNames(body)))}\n--- stdout\n${exit.stdout.slice(-2000)}\n--- stderr\n${exit.stderr.slice(-3000)}`;
        if (exit.timedOut) expect.fail(`timed out after ${RUN_TIMEOUT_MS / 1000} s\n${report}`);
        expect(exit.code, report).toBe(0);
        expect(readFileSync(path.join(cwd, PATCH_FILE), 'utf8'), report).toBe(`${PATCH_LINE}\n`);
        const turn2 = bodies.find((body) => family.toolResults(body).length > 0);
        expect(turn2, `turn 2 carries apply_patch's result\n${report}`).toBeDefined();
        const [result] = family.toolResults(turn2);
        expect(result!.call, report).toMatchObject({ name: 'apply_patch' });
        if (family.name !== 'gemini') expect(result!.callId).toBe(PATCH_CALL_ID);
        expect(codex.answerText(exit.stdout), report).toContain(FINAL_ANSWER);
      } finally {
        rmSync(home, { recursive: true, force: true });
        rmSync(cwd, { recursive: true, force: true });
      }
    });
  });
}
