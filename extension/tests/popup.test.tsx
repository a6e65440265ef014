import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AccountView } from '../../shared/accounts';
import { BackgroundContext } from '../components/BackgroundContext';
import { App } from '../entrypoints/popup/App';
import { Accounts } from '../entrypoints/popup/components/Accounts';
import { Header } from '../entrypoints/popup/components/Header';
import { Settings } from '../entrypoints/popup/components/Settings';
import { formatClock } from '../utils/format';
import type { ConfigView } from '../utils/types';
import { fail, fakeClient, ok } from './fake-client';
import { sampleStatus } from './fakes';

const CONFIG: ConfigView = {
  port: 8045,
  allow_lan_access: false,
  auth_mode: 'off',
  api_key: 'sk-0123456789abcdef',
  model_mapping: {},
  default_max_tokens: {},
  cors_allowed_origins: [],
  allowed_hosts: [],
  request_timeout_s: 600,
  log_retention_days: 7,
  monitor_capture_bodies: false,
  monitor_body_limit_bytes: 65536,
  scheduling: 'round_robin',
  preferred_account: null,
};

function account(overrides: Partial<AccountView> = {}): AccountView {
  return {
    id: 'a1',
    provider: 'openai',
    label: 'work',
    base_url: 'https://api.openai.com/v1',
    api_key_masked: 'sk-abc…wxyz',
    enabled: true,
    status: { state: 'ready' },
    ...overrides,
  };
}

const $ = (id: string) => document.getElementById(id) as HTMLElement;

beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('Header', () => {
  it('shows stopped / Start for a stopped proxy', () => {
    render(<Header status={sampleStatus()} busy={false} onToggle={() => {}} />);
    expect($('proxy-state').textContent).toBe('stopped');
    expect($('toggle-proxy').textContent).toBe('Start');
    expect($('proxy-address').textContent).toBe('http://127.0.0.1:8045');
    expect($('active-accounts').textContent).toBe('0 active accounts');
  });

  it('shows running / Stop and the bound address for a running proxy', () => {
    const status = sampleStatus({ state: 'running', url: 'http://127.0.0.1:9000', port: 9000 }, [account(), account({ id: 'a2' })]);
    render(<Header status={status} busy={false} onToggle={() => {}} />);
    expect($('proxy-state').textContent).toBe('running');
    expect($('toggle-proxy').textContent).toBe('Stop');
    expect($('proxy-address').textContent).toBe('http://127.0.0.1:9000');
    expect($('active-accounts').textContent).toBe('2 active accounts');
  });

  it('shows why the last start failed', () => {
    const status = sampleStatus({
      last_error: { code: 'BIND_FAILED', message: 'Failed to start proxy server: failed to bind address' },
    });
    render(<Header status={status} busy={false} onToggle={() => {}} />);
    expect($('proxy-last-error').textContent).toBe('Failed to start proxy server: failed to bind address');
  });
});

function renderSettings(config: ConfigView = CONFIG, running = false) {
  const fake = fakeClient({ 'config.update': (patch) => ok({ ...config, ...(patch as object) }) });
  const configs: ConfigView[] = [];
  render(
    <BackgroundContext.Provider value={fake.client}>
      <Settings config={config} running={running} onConfig={(c) => configs.push(c)} />
    </BackgroundContext.Provider>,
  );
  return { fake, configs };
}

describe('Settings', () => {
  it('disables the port while the proxy runs', () => {
    renderSettings(CONFIG, true);
    expect(($('port') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText('Stop the proxy to change the port.')).toBeTruthy();
  });

  it('enables the port while stopped and validates it', () => {
    renderSettings();
    const port = $('port') as HTMLInputElement;
    expect(port.disabled).toBe(false);
    fireEvent.input(port, { target: { value: '80' } });
    expect($('port-error').textContent).toMatch(/1024 to 65535/);
    expect(($('save-settings') as HTMLButtonElement).disabled).toBe(true);
  });

  it('validates the API key like the CLI', () => {
    renderSettings();
    const key = $('api-key') as HTMLInputElement;
    fireEvent.input(key, { target: { value: 'abc' } });
    expect($('api-key-error').textContent).toContain('api_key must be at least 10 characters');
    expect($('api-key-error').textContent).toContain('api_key must start with "sk-"');
    fireEvent.input(key, { target: { value: 'pk-0123456789' } });
    expect($('api-key-error').textContent).toBe('api_key must start with "sk-"');
    fireEvent.input(key, { target: { value: 'sk-0123456789' } });
    expect($('api-key-error')).toBeNull();
  });

  it('warns about LAN access without auth and offers to require the key', () => {
    renderSettings();
    expect($('lan-warning')).toBeNull();
    fireEvent.click($('allow-lan'));
    expect($('lan-warning')).not.toBeNull();
    fireEvent.click($('lan-require-key'));
    expect(($('auth-mode') as HTMLSelectElement).value).toBe('all_except_health');
    expect($('lan-warning')).toBeNull();
  });

  it('saves only the changed fields', async () => {
    const { fake, configs } = renderSettings();
    fireEvent.input($('port'), { target: { value: '9001' } });
    fireEvent.click($('allow-lan'));
    fireEvent.change($('auth-mode'), { target: { value: 'strict' } });
    fireEvent.click($('save-settings'));
    await waitFor(() => expect(configs).toHaveLength(1));
    expect(fake.sent('config.update')).toEqual([{ port: 9001, allow_lan_access: true, auth_mode: 'strict' }]);
    expect($('settings-saved').textContent).toBe('Saved');
  });

  it('shows the daemon’s error message', async () => {
    const fake = fakeClient({ 'config.update': () => fail('INVALID_CONFIG', 'Invalid configuration') });
    render(
      <BackgroundContext.Provider value={fake.client}>
        <Settings config={CONFIG} running={false} onConfig={() => {}} />
      </BackgroundContext.Provider>,
    );
    fireEvent.change($('auth-mode'), { target: { value: 'strict' } });
    fireEvent.click($('save-settings'));
    await waitFor(() => expect($('settings-error').textContent).toBe('Invalid configuration'));
  });
});

describe('Accounts', () => {
  it('describes each account state, per-model rests included, and when a quota comes back', () => {
    vi.useFakeTimers({ now: new Date(2030, 0, 1, 9, 0, 0), toFake: ['Date'] });
    const until = new Date(2030, 0, 1, 14, 3, 22).getTime();
    const modelUntil = new Date(2030, 0, 1, 14, 5, 0).getTime();
    const quotaResets = new Date(2030, 0, 2, 8, 0, 0).getTime();
    const fake = fakeClient();
    render(
      <BackgroundContext.Provider value={fake.client}>
        <Accounts
          accounts={[
            account(),
            account({ id: 'a2', label: 'spare', status: { state: 'cooling', until, kind: 'rate-limited', reason: 'rate limited' } }),
            account({ id: 'a3', label: 'old', enabled: false, status: { state: 'disabled', kind: 'by-user', reason: 'disabled by user' } }),
            account({ id: 'a4', label: 'busy', models_cooling: [{ model: 'gpt-4o', until: modelUntil, kind: 'rate-limited', reason: 'rate limited (HTTP 429)' }] }),
            account({ id: 'a5', label: 'revoked', status: { state: 'disabled', kind: 'key-rejected', reason: 'upstream rejected the key (HTTP 401)' } }),
            account({ id: 'a6', label: 'free tier', models_cooling: [{ model: 'gemini-2.5-pro', until: quotaResets, kind: 'quota-exhausted', reason: 'quota exhausted (HTTP 429)' }] }),
            account({ id: 'a7', label: 'spent', status: { state: 'cooling', until: modelUntil, kind: 'quota-exhausted', reason: 'quota exhausted (HTTP 429)' } }),
          ]}
          onChanged={() => {}}
        />
      </BackgroundContext.Provider>,
    );
    const states = screen.getAllByTestId('account-state').map((el) => el.textContent);
    expect(formatClock(until)).toBe('14:03:22');
    expect(states).toEqual([
      'ready',
      'cooling until 14:03:22 (rate limited)',
      'disabled (disabled by user)',
      'ready · gpt-4o cooling until 14:05:00 (rate limited (HTTP 429))',
      'disabled (upstream rejected the key (HTTP 401))',
      'ready · gemini-2.5-pro cooling until tomorrow 08:00:00 (quota exhausted (HTTP 429))',
      'cooling until 14:05:00 (quota exhausted (HTTP 429))',
    ]);
    // Reset only where it helps: cooling (account or model) or disabled by an upstream, never a user's disable.
    const resettable = screen.getAllByTestId('account').filter((row) => within(row).queryByTestId('account-reset')).map((row) => row.dataset.accountId);
    expect(resettable).toEqual(['a2', 'a4', 'a5', 'a6', 'a7']);
  });

  it('resets a cooling account and refreshes, or shows why it could not', async () => {
    let changed = 0;
    const fake = fakeClient({ 'accounts.reset': (p) => ((p as { id: string }).id === 'a2' ? ok(account({ id: 'a2' })) : fail('ACCOUNT_NOT_FOUND', 'No account with id "gone"')) });
    const cooling = { state: 'cooling', until: Date.now() + 60_000, kind: 'server-error', reason: 'upstream error (HTTP 500)' } as const;
    render(
      <BackgroundContext.Provider value={fake.client}>
        <Accounts accounts={[account({ id: 'a2', status: cooling }), account({ id: 'gone', status: cooling })]} onChanged={() => changed++} />
      </BackgroundContext.Provider>,
    );
    const [first, second] = screen.getAllByTestId('account');
    fireEvent.click(within(first!).getByTestId('account-reset'));
    await waitFor(() => expect(changed).toBe(1));
    expect(fake.sent('accounts.reset')).toEqual([{ id: 'a2' }]);
    fireEvent.click(within(second!).getByTestId('account-reset'));
    await waitFor(() => expect(within(second!).getByTestId('account-error').textContent).toBe('No account with id "gone"'));
    expect(changed).toBe(1);
  });

  it('toggles, removes after confirmation and adds accounts', async () => {
    let changed = 0;
    const fake = fakeClient({
      'accounts.setEnabled': (p) => ok({ ...account(), ...(p as object) }),
      'accounts.remove': () => ok({ removed: 'a1' }),
      'accounts.add': (p) => ok(account({ id: 'a9', label: (p as { label?: string }).label ?? 'x' })),
    });
    render(
      <BackgroundContext.Provider value={fake.client}>
        <Accounts accounts={[account()]} onChanged={() => changed++} />
      </BackgroundContext.Provider>,
    );
    const row = screen.getByTestId('account');
    fireEvent.click(within(row).getByTestId('account-enabled'));
    await waitFor(() => expect(fake.sent('accounts.setEnabled')).toEqual([{ id: 'a1', enabled: false }]));

    fireEvent.click(within(row).getByTestId('account-remove'));
    expect(fake.sent('accounts.remove')).toEqual([]);
    fireEvent.click(within(row).getByTestId('account-remove-confirm'));
    await waitFor(() => expect(fake.sent('accounts.remove')).toEqual([{ id: 'a1' }]));

    fireEvent.input($('account-api-key'), { target: { value: '' } });
    fireEvent.click($('add-account'));
    expect($('add-account-error').textContent).toMatch(/^api_key: /);
    fireEvent.change($('account-provider'), { target: { value: 'anthropic' } });
    expect(($('account-base-url') as HTMLInputElement).value).toBe('https://api.anthropic.com');
    fireEvent.input($('account-api-key'), { target: { value: 'sk-ant-secret' } });
    fireEvent.input($('account-label'), { target: { value: 'claude' } });
    fireEvent.input($('account-models'), { target: { value: 'claude-*, claude-3-haiku' } });
    fireEvent.click($('add-account'));
    await waitFor(() => expect($('add-account-done').textContent).toBe('Added claude'));
    expect(fake.sent('accounts.add')).toEqual([
      {
        provider: 'anthropic',
        base_url: 'https://api.anthropic.com',
        api_key: 'sk-ant-secret',
        label: 'claude',
        models: ['claude-*', 'claude-3-haiku'],
        enabled: true,
      },
    ]);
    expect(changed).toBe(3);
  });
});

describe('App', () => {
  function renderApp(status = sampleStatus()) {
    let current = status;
    const fake = fakeClient({
      'connection.state': () => ok({ state: 'connected', transport: 'native' }),
      'connection.retry': () => ok({ state: 'connecting' }),
      'proxy.status': () => ok(current),
      'config.get': () => ok(CONFIG),
      'proxy.start': () => ok((current = sampleStatus({ state: 'running', url: 'http://127.0.0.1:8045' }))),
      'proxy.stop': () => ok((current = sampleStatus())),
      'healthz.check': () => ok({ ok: true, url: 'http://127.0.0.1:8045/healthz', status: 200, body: '{"status":"ok"}', latency_ms: 3.2 }),
    });
    let monitorOpened = 0;
    render(<App client={fake.client} openMonitor={() => monitorOpened++} />);
    return { fake, monitorOpened: () => monitorOpened };
  }

  it('starts and stops the proxy', async () => {
    const { fake } = renderApp();
    await waitFor(() => expect($('proxy-state')?.textContent).toBe('stopped'));
    expect(($('port') as HTMLInputElement).disabled).toBe(false);
    fireEvent.click($('toggle-proxy'));
    await waitFor(() => expect($('proxy-state').textContent).toBe('running'));
    expect($('toggle-proxy').textContent).toBe('Stop');
    expect(($('port') as HTMLInputElement).disabled).toBe(true);
    fireEvent.click($('toggle-proxy'));
    await waitFor(() => expect($('toggle-proxy').textContent).toBe('Start'));
    expect(fake.sent('proxy.start')).toHaveLength(1);
    expect(fake.sent('proxy.stop')).toHaveLength(1);
  });

  it('shows a start error as the shared human message', async () => {
    const { fake } = renderApp();
    fake.handlers['proxy.start'] = () => fail('NO_ACCOUNTS', 'No available accounts, please add an account first');
    await waitFor(() => expect($('toggle-proxy')).not.toBeNull());
    fireEvent.click($('toggle-proxy'));
    await waitFor(() => expect($('popup-error').textContent).toBe('No available accounts, please add an account first'));
  });

  it('follows pushed status events', async () => {
    const { fake } = renderApp();
    await waitFor(() => expect($('proxy-state')?.textContent).toBe('stopped'));
    fake.emit('status', sampleStatus({ state: 'running', url: 'http://127.0.0.1:8045' }, [account()]));
    await waitFor(() => expect($('proxy-state').textContent).toBe('running'));
    expect($('active-accounts').textContent).toBe('1 active account');
  });

  it('checks /healthz and shows body and latency', async () => {
    renderApp(sampleStatus({ state: 'running', url: 'http://127.0.0.1:8045' }));
    await waitFor(() => expect($('check-healthz')).not.toBeNull());
    fireEvent.click($('check-healthz'));
    await waitFor(() => expect($('healthz-result').textContent).toBe('{"status":"ok"} 3 ms'));
  });

  it('renders snippets for the current address and key', async () => {
    renderApp(sampleStatus({ state: 'running', url: 'http://127.0.0.1:8045' }));
    await waitFor(() => expect($('snippets')).not.toBeNull());
    expect($('snippet-curl').textContent).toBe('curl http://127.0.0.1:8045/healthz');
    expect($('snippet-openai').textContent).toContain("baseURL: 'http://127.0.0.1:8045/v1'");
    expect($('snippet-claude-code').textContent).toContain('export ANTHROPIC_BASE_URL=http://127.0.0.1:8045\n');
    expect($('snippet-claude-code').textContent).toContain(`export ANTHROPIC_API_KEY=${CONFIG.api_key}`);
    expect($('snippet-gemini').textContent).toContain("baseUrl: 'http://127.0.0.1:8045'");
  });

  it('opens the monitor', async () => {
    const { monitorOpened } = renderApp();
    fireEvent.click(screen.getByText('Open monitor'));
    expect(monitorOpened()).toBe(1);
  });

  it('shows the install screen when the native host is missing', async () => {
    const { fake } = renderApp();
    await waitFor(() => expect($('proxy-state')).not.toBeNull());
    fake.emit('connection', { state: 'native-host-missing', code: 'NATIVE_HOST_MISSING', message: 'The Localgate native host is not installed' });
    await waitFor(() => expect($('native-host-missing')).not.toBeNull());
    expect($('proxy-state')).toBeNull();
    expect($('install-command').textContent).toBe('npx localgate install-native-host --browser chrome');
    fireEvent.change($('install-browser'), { target: { value: 'firefox' } });
    await waitFor(() => expect($('install-command').textContent).toBe('npx localgate install-native-host --browser firefox'));

    fireEvent.input($('pairing-input'), { target: { value: 'not a pairing' } });
    fireEvent.click($('pair-button'));
    expect($('pairing-error').textContent).toMatch(/starts with "localgate-pair:"/);
    fake.handlers['pairing.set'] = () => ok({ url: 'ws://127.0.0.1:47001/control' });
    fireEvent.input($('pairing-input'), { target: { value: 'localgate-pair:ws://127.0.0.1:47001/control#0123456789abcdef' } });
    fireEvent.click($('pair-button'));
    await waitFor(() => expect(fake.sent('pairing.set')).toEqual([{ pairing: 'localgate-pair:ws://127.0.0.1:47001/control#0123456789abcdef' }]));

    // A reconnect attempt does not flash the main UI; connecting for real brings it back.
    fake.emit('connection', { state: 'connecting', transport: 'websocket' });
    await Promise.resolve();
    expect($('native-host-missing')).not.toBeNull();
    fake.emit('connection', { state: 'connected', transport: 'websocket' });
    await waitFor(() => expect($('proxy-state')).not.toBeNull());
    expect($('transport').textContent).toBe('via WebSocket');
  });

  it('shows an unreachable daemon with a retry', async () => {
    const { fake } = renderApp();
    await waitFor(() => expect($('proxy-state')).not.toBeNull());
    fake.emit('connection', {
      state: 'error',
      transport: 'native',
      code: 'DAEMON_UNREACHABLE',
      message: 'The Localgate daemon is not running and could not be started',
    });
    await waitFor(() => expect($('connection-error')).not.toBeNull());
    expect($('connection-error').textContent).toContain('The Localgate daemon is not running and could not be started');
    fireEvent.click($('retry-connection'));
    await waitFor(() => expect(fake.sent('connection.retry')).toHaveLength(1));
  });
});
