import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The three coding agents as a user sets them up against Localgate: the pinned version, the
 * agent's own shell tool, and the exact environment, config files and command line the README
 * documents — every telemetry, update and feedback switch the agent has turned off.
 */
export interface AgentRun {
  args: string[];
  env: Record<string, string>;
}

export interface Agent {
  name: 'claude-code' | 'codex' | 'gemini-cli';
  /** The pinned version (the newest whose `engines` allow Node 20; scripts/test-agents.mjs installs it). */
  version: string;
  /** The executable in the cache's node_modules/.bin. */
  bin: string;
  /** The agent's own shell tool, as it declares it to the model. */
  shellTool: string;
  /** Arguments for the shell tool that run `command` in the agent's working directory. */
  shellArguments(command: string): Record<string, unknown>;
  /** Writes the agent's config under `home` and returns how to run `prompt` against `origin`. */
  prepare(options: { home: string; origin: string; prompt: string; thinking: boolean }): AgentRun;
  /** The final answer out of the agent's stdout. */
  answerText(stdout: string): string;
}

/** The key an agent sends to Localgate (auth is off on loopback by default; any value works). */
export const CLIENT_KEY = 'localgate-client-key';

export const CLAUDE_CODE: Agent = {
  name: 'claude-code',
  version: '2.1.197',
  bin: 'claude',
  shellTool: 'Bash',
  shellArguments: (command) => ({ command, description: 'Write the marker file' }),
  prepare: ({ home, origin, prompt, thinking }) => ({
    // --dangerously-skip-permissions is refused as root (CI): allow just the shell tool instead.
    args: ['-p', prompt, '--output-format', 'json', '--allowedTools', 'Bash', '--model', 'claude-sonnet-4-5'],
    env: {
      HOME: home,
      ANTHROPIC_BASE_URL: origin,
      ANTHROPIC_API_KEY: CLIENT_KEY,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_BUG_COMMAND: '1',
      DISABLE_FEEDBACK_COMMAND: '1',
      CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: '1',
      // MAX_THINKING_TOKENS=0 still sends a budget: thinking off needs its own switch.
      ...(thinking ? { MAX_THINKING_TOKENS: '4000' } : { CLAUDE_CODE_DISABLE_THINKING: '1' }),
    },
  }),
  answerText: (stdout) => {
    const result = JSON.parse(stdout) as { result?: string; is_error?: boolean };
    if (result.is_error) throw new Error(`Claude Code reported an error: ${stdout}`);
    return result.result ?? '';
  },
};

export const CODEX: Agent = {
  name: 'codex',
  version: '0.171.0',
  bin: 'codex',
  shellTool: 'exec_command',
  shellArguments: (command) => ({ cmd: command }),
  prepare: ({ home, origin, prompt, thinking }) => {
    const codexHome = path.join(home, '.codex');
    mkdirSync(codexHome, { recursive: true });
    writeFileSync(path.join(codexHome, 'config.toml'), codexConfig(origin, thinking));
    return {
      args: ['exec', '--skip-git-repo-check', prompt],
      env: { HOME: home, CODEX_HOME: codexHome, LOCALGATE_API_KEY: CLIENT_KEY },
    };
  },
  // `codex exec` prints the final message alone on stdout (the log goes to stderr).
  answerText: (stdout) => stdout.trim(),
};

/** Codex's config.toml for Localgate, as the README gives it. */
export function codexConfig(origin: string, thinking: boolean): string {
  return [
    'model = "gpt-5.5"',
    'model_provider = "localgate"',
    // gpt-5.5 reasons by default: thinking off has to be said.
    `model_reasoning_effort = "${thinking ? 'medium' : 'none'}"`,
    // The shell tool runs unattended (the test's own temp dir; Codex's sandbox needs user namespaces).
    'approval_policy = "never"',
    'sandbox_mode = "danger-full-access"',
    'check_for_update_on_startup = false',
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[feedback]',
    'enabled = false',
    '',
    '[model_providers.localgate]',
    'name = "Localgate"',
    `base_url = "${origin}/v1"`,
    'wire_api = "responses"',
    'env_key = "LOCALGATE_API_KEY"',
    '',
  ].join('\n');
}

/** Gemini CLI's model for the runs without thinking (settings turn its thinking off). */
const GEMINI_NO_THINKING_MODEL = 'gemini-2.5-flash';

export const GEMINI_CLI: Agent = {
  name: 'gemini-cli',
  version: '0.61.0',
  bin: 'gemini',
  shellTool: 'run_shell_command',
  shellArguments: (command) => ({ command, description: 'Write the marker file' }),
  prepare: ({ home, origin, prompt, thinking }) => {
    mkdirSync(path.join(home, '.gemini'), { recursive: true });
    writeFileSync(path.join(home, '.gemini', 'settings.json'), JSON.stringify(geminiSettings(), null, 2));
    return {
      // An explicit model also skips Gemini CLI's model router (a classifier request per prompt).
      args: ['-p', prompt, '--model', thinking ? 'gemini-3-pro-preview' : GEMINI_NO_THINKING_MODEL, '--yolo', '--skip-trust', '--output-format', 'json'],
      env: { HOME: home, GEMINI_API_KEY: CLIENT_KEY, GOOGLE_GEMINI_BASE_URL: origin },
    };
  },
  answerText: (stdout) => (JSON.parse(stdout) as { response?: string }).response ?? '',
};

/** Gemini CLI's ~/.gemini/settings.json for Localgate, as the README gives it. */
export function geminiSettings(): object {
  return {
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    security: { auth: { selectedType: 'gemini-api-key' } },
    // Gemini CLI asks every chat model to think; for the runs without thinking, one model doesn't.
    modelConfigs: {
      customOverrides: [{ match: { model: GEMINI_NO_THINKING_MODEL }, modelConfig: { generateContentConfig: { thinkingConfig: { includeThoughts: false, thinkingBudget: 0 } } } }],
    },
  };
}

export const AGENTS: Agent[] = [CLAUDE_CODE, CODEX, GEMINI_CLI];
