import type { AccountState, AccountView } from '../../shared/accounts';
import { effectiveAuthMode, type AuthMode } from '../../shared/config';
import type { DaemonStatus } from '../../shared/status';

function pad2(value: number): string {
  return value.toString().padStart(2, '0');
}

/** `HH:MM:SS` in local time. */
export function formatClock(epochMs: number): string {
  const date = new Date(epochMs);
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

/**
 * When a rest ends: `14:03:22` today, `tomorrow 08:00:00` (a daily quota resets overnight), else
 * `2030-01-03 08:00:00`.
 */
export function formatUntil(epochMs: number, now = Date.now()): string {
  const day = (epoch: number) => new Date(epoch).toDateString();
  if (day(epochMs) === day(now)) return formatClock(epochMs);
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  if (day(epochMs) === tomorrow.toDateString()) return `tomorrow ${formatClock(epochMs)}`;
  const date = new Date(epochMs);
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ${formatClock(epochMs)}`;
}

/** `ready` · `cooling until 14:03:22 — rate limited` · `disabled — invalid key` */
export function accountStateText(status: AccountState, now = Date.now()): string {
  switch (status.state) {
    case 'ready':
      return 'ready';
    case 'cooling':
      return `cooling until ${formatUntil(status.until, now)} — ${status.reason}`;
    case 'disabled':
      return status.reason ? `disabled — ${status.reason}` : 'disabled';
  }
}

function modelRestsText(account: Pick<AccountView, 'models_cooling'>, now: number): string[] {
  return (account.models_cooling ?? []).map((cooling) => `${cooling.model} cooling until ${formatUntil(cooling.until, now)} — ${cooling.reason}`);
}

/** `cooling until 10:42:05 — rate limited · gpt-4o cooling until 10:43:00 — rate limited (HTTP 429)`: the account, then each model it rests for. */
export function accountHealthText(account: Pick<AccountView, 'status' | 'models_cooling'>, now = Date.now()): string {
  return [accountStateText(account.status, now), ...modelRestsText(account, now)].join(' · ');
}

/**
 * The popup's one line: as accountHealthText, but a ready account with resting models says only
 * what rests (its dot already says "partly ready"), so the useful part survives the ellipsis.
 */
export function accountLineText(account: Pick<AccountView, 'status' | 'models_cooling'>, now = Date.now()): string {
  return accountDotKind(account) === 'partial' ? modelRestsText(account, now).join(' · ') : accountHealthText(account, now);
}

/** Whether "Reset" can help: the account or one of its models rests, or an upstream disabled it (not the user). */
export function canResetAccount(account: Pick<AccountView, 'status' | 'models_cooling'>): boolean {
  const { status } = account;
  if (status.state === 'cooling') return true;
  if (status.state === 'disabled') return status.kind !== 'by-user';
  return (account.models_cooling?.length ?? 0) > 0;
}

/** `42 models`: how many models an account serves, once the daemon has fetched its list (else nothing to show). */
export function modelCountText(account: Pick<AccountView, 'model_count'>): string | undefined {
  const count = account.model_count;
  return count === undefined ? undefined : `${count} model${count === 1 ? '' : 's'}`;
}

/** `3 of 4 accounts ready` (ready = enabled and not resting, as the daemon counts it). */
export function accountsReadyText(status: Pick<DaemonStatus, 'active_accounts' | 'accounts'>): string {
  const total = status.accounts.length;
  return `${status.active_accounts} of ${total} account${total === 1 ? '' : 's'} ready`;
}

/** The colour of an account's state dot: the state itself, or `partial` for a ready account with a model resting. */
export function accountDotKind(account: Pick<AccountView, 'status' | 'models_cooling'>): AccountState['state'] | 'partial' {
  if (account.status.state === 'ready' && (account.models_cooling?.length ?? 0) > 0) return 'partial';
  return account.status.state;
}

/**
 * The origin clients use: the daemon's URL while running, else where it would listen. A proxy
 * bound to every interface (LAN access) is still reached locally at 127.0.0.1.
 */
export function proxyOrigin(proxy: DaemonStatus['proxy']): string {
  if (proxy.url) return proxy.url.replace(/\/+$/, '').replace('//0.0.0.0:', '//127.0.0.1:');
  const host = proxy.host === '0.0.0.0' || proxy.host === '::' || proxy.host === '' ? '127.0.0.1' : proxy.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${proxy.port}`;
}

/** `sk-••••••••wxyz`: enough to recognise a key, not to use it. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '•'.repeat(secret.length);
  return `${secret.slice(0, 3)}${'•'.repeat(8)}${secret.slice(-4)}`;
}

export interface Snippet {
  id: 'curl' | 'openai-python' | 'openai-js' | 'claude-code' | 'codex' | 'gemini';
  title: string;
  text: string;
}

/**
 * Copy-ready client snippets for the proxy at `origin` with `apiKey` (pass a masked key for what
 * is shown, the real one for what is copied). SDKs always get the key: they refuse to start
 * without one, and the proxy ignores it when auth is off.
 */
export function buildSnippets(
  origin: string,
  apiKey: string,
  config: { auth_mode: AuthMode | string; allow_lan_access: boolean },
): Snippet[] {
  const mode = effectiveAuthMode({
    auth_mode: (config.auth_mode as AuthMode) ?? 'auto',
    allow_lan_access: config.allow_lan_access,
  });
  const curlAuth = mode === 'off' ? [] : [`  -H "Authorization: Bearer ${apiKey}" \\`];
  return [
    {
      id: 'curl',
      title: 'curl',
      text: [
        `curl ${origin}/v1/chat/completions \\`,
        ...curlAuth,
        '  -H "Content-Type: application/json" \\',
        `  -d '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}'`,
      ].join('\n'),
    },
    {
      id: 'openai-python',
      title: 'OpenAI SDK (Python)',
      text: ['from openai import OpenAI', '', `client = OpenAI(base_url="${origin}/v1", api_key="${apiKey}")`].join('\n'),
    },
    {
      id: 'openai-js',
      title: 'OpenAI SDK (JavaScript)',
      text: ["import OpenAI from 'openai';", '', `const client = new OpenAI({ baseURL: '${origin}/v1', apiKey: '${apiKey}' });`].join('\n'),
    },
    {
      id: 'claude-code',
      title: 'Claude Code',
      text: [`export ANTHROPIC_BASE_URL=${origin}`, `export ANTHROPIC_API_KEY=${apiKey}`, 'claude'].join('\n'),
    },
    {
      id: 'codex',
      title: 'Codex (~/.codex/config.toml, then run codex)',
      text: [
        'model_provider = "localgate"',
        '',
        '[model_providers.localgate]',
        'name = "Localgate"',
        `base_url = "${origin}/v1"`,
        'wire_api = "responses"',
        'env_key = "LOCALGATE_API_KEY"',
        '',
        `# in your shell: export LOCALGATE_API_KEY=${apiKey}`,
      ].join('\n'),
    },
    {
      id: 'gemini',
      title: 'Gemini SDK (JavaScript)',
      text: [
        "import { GoogleGenAI } from '@google/genai';",
        '',
        `const ai = new GoogleGenAI({ apiKey: '${apiKey}', httpOptions: { baseUrl: '${origin}' } });`,
      ].join('\n'),
    },
  ];
}
