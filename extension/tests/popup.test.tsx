import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { EXTENSION_ID } from '../../shared/extension-identity';
import { BackgroundContext } from '../components/BackgroundContext';
import { App } from '../entrypoints/popup/App';
import { AccountList } from '../entrypoints/popup/components/AccountList';
import { Header } from '../entrypoints/popup/components/Header';
import { formatClock } from '../utils/format';
import { requestDaemonSnapshot } from '../utils/daemon-snapshot';
import type { ConfigView } from '../utils/types';
import { fail, fakeClient, ok } from './fake-client';
import { SAMPLE_CONFIG as CONFIG, sampleAccount as account, sampleStatus } from './fakes';

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
    expect($('accounts-ready').textContent).toBe('0 of 0 accounts ready');
  });

  it('counts ready accounts among all of them', () => {
    const cooling = { state: 'cooling', until: Date.now() + 60_000, kind: 'rate-limited', reason: 'rate limited' } as const;
    const status = sampleStatus({}, [account(), account({ id: 'a2', status: cooling }), account({ id: 'a3' }), account({ id: 'a4' })]);
    render(<Header status={status} busy={false} onToggle={() => {}} />);
    expect($('accounts-ready').textContent).toBe('3 of 4 accounts ready');
  });

  it('shows running / Stop and the bound address for a running proxy', () => {
    const status = sampleStatus({ state: 'running', url: 'http://127.0.0.1:9000', port: 9000 }, [account(), account({ id: 'a2' })]);
    render(<Header status={status} busy={false} onToggle={() => {}} />);
    expect($('proxy-state').textContent).toBe('running');
    expect($('toggle-proxy').textContent).toBe('Stop');
    expect($('proxy-address').textContent).toBe('http://127.0.0.1:9000');
    expect($('accounts-ready').textContent).toBe('2 of 2 accounts ready');
  });

  it('shows why the last start failed', () => {
    const status = sampleStatus({
      last_error: { code: 'BIND_FAILED', message: 'Failed to start proxy server: failed to bind address' },
    });
    render(<Header status={status} busy={false} onToggle={() => {}} />);
    expect($('proxy-state').textContent).toBe('error');
    expect($('toggle-proxy').textContent).toBe('Start');
    expect($('proxy-last-error').textContent).toBe('Failed to start proxy server: failed to bind address');
  });
});

describe('AccountList (popup)', () => {
  it('describes each account state, per-model rests included, and when a quota comes back', () => {
    vi.useFakeTimers({ now: new Date(2030, 0, 1, 9, 0, 0), toFake: ['Date'] });
    const until = new Date(2030, 0, 1, 14, 3, 22).getTime();
    const modelUntil = new Date(2030, 0, 1, 14, 5, 0).getTime();
    const quotaResets = new Date(2030, 0, 2, 8, 0, 0).getTime();
    const fake = fakeClient();
    render(
      <BackgroundContext.Provider value={fake.client}>
        <AccountList
          accounts={[
            account(),
            account({ id: 'a2', label: 'spare', status: { state: 'cooling', until, kind: 'rate-limited', reason: 'rate limited' } }),
            account({ id: 'a3', label: 'old', enabled: false, status: { state: 'disabled', kind: 'by-user', reason: 'disabled by user' } }),
            account({ id: 'a4', label: 'busy', models_cooling: [{ model: 'gpt-4o', until: modelUntil, kind: 'rate-limited', reason: 'rate limited (HTTP 429)' }] }),
            account({ id: 'a5', label: 'revoked', status: { state: 'disabled', kind: 'key-rejected', reason: 'upstream rejected the key (HTTP 401)' } }),
            account({ id: 'a6', label: 'free tier', models_cooling: [{ model: 'gemini-2.5-pro', until: quotaResets, kind: 'quota-exhausted', reason: 'quota exhausted (HTTP 429)' }] }),
            account({ id: 'a7', label: 'spent', status: { state: 'cooling', until: modelUntil, kind: 'quota-exhausted', reason: 'quota exhausted (HTTP 429)' } }),
          ]}
        />
      </BackgroundContext.Provider>,
    );
    const states = screen.getAllByTestId('account-state').map((el) => el.textContent);
    // Times as the UI's locale writes them (Chromium's default en-US in these tests).
    expect(formatClock(until)).toBe('2:03:22 PM');
    expect(states).toEqual([
      'ready',
      'cooling until 2:03:22 PM — rate limited',
      'disabled — disabled by user',
      'gpt-4o cooling until 2:05:00 PM — rate limited (HTTP 429)',
      'disabled — upstream rejected the key (HTTP 401)',
      'gemini-2.5-pro cooling until tomorrow 8:00:00 AM — quota exhausted (HTTP 429)',
      'cooling until 2:05:00 PM — quota exhausted (HTTP 429)',
    ]);
    // The whole story, "ready" included, on hover.
    expect(screen.getAllByTestId('account-state')[3]!.title).toBe('ready · gpt-4o cooling until 2:05:00 PM — rate limited (HTTP 429)');
    // The dot's colour: a ready account with a model resting is "partial".
    const dots = screen.getAllByTestId('account').map((row) => row.querySelector('.dot')!.className);
    expect(dots).toEqual(['dot dot-ready', 'dot dot-cooling', 'dot dot-disabled', 'dot dot-partial', 'dot dot-disabled', 'dot dot-partial', 'dot dot-cooling']);
    // One line each, nothing to edit: enabling and removing live on the options page.
    expect(screen.queryAllByTestId('account-enabled')).toHaveLength(0);
    expect(screen.queryAllByTestId('account-remove')).toHaveLength(0);
    // Reset only where it helps: cooling (account or model) or disabled by an upstream, never a user's disable.
    const resettable = screen.getAllByTestId('account').filter((row) => within(row).queryByTestId('account-reset')).map((row) => row.dataset.accountId);
    expect(resettable).toEqual(['a2', 'a4', 'a5', 'a6', 'a7']);
  });

  it('shows how many models each account serves, once the daemon knows', () => {
    render(
      <BackgroundContext.Provider value={fakeClient().client}>
        <AccountList accounts={[account({ model_count: 42 }), account({ id: 'a2', model_count: 1 }), account({ id: 'a3' })]} />
      </BackgroundContext.Provider>,
    );
    const counts = screen.getAllByTestId('account').map((row) => within(row).queryByTestId('model-count')?.textContent ?? null);
    expect(counts).toEqual(['42 models', '1 model', null]);
  });

  it('resets a cooling account, or shows why it could not (the new state arrives as pushed status)', async () => {
    const fake = fakeClient({ 'accounts.reset': (p) => ((p as { id: string }).id === 'a2' ? ok(account({ id: 'a2' })) : fail('ACCOUNT_NOT_FOUND', 'No account with id "gone"')) });
    const cooling = { state: 'cooling', until: Date.now() + 60_000, kind: 'server-error', reason: 'upstream error (HTTP 500)' } as const;
    render(
      <BackgroundContext.Provider value={fake.client}>
        <AccountList accounts={[account({ id: 'a2', status: cooling }), account({ id: 'gone', status: cooling })]} />
      </BackgroundContext.Provider>,
    );
    const [first, second] = screen.getAllByTestId('account');
    fireEvent.click(within(first!).getByTestId('account-reset'));
    await waitFor(() => expect(fake.sent('accounts.reset')).toEqual([{ id: 'a2' }]));
    await waitFor(() => expect((within(first!).getByTestId('account-reset') as HTMLButtonElement).disabled).toBe(false));
    expect(within(first!).queryByTestId('account-error')).toBeNull();
    fireEvent.click(within(second!).getByTestId('account-reset'));
    await waitFor(() => expect(within(second!).getByTestId('account-error').textContent).toBe('No account with id "gone"'));
  });

});

describe('App', () => {
  function renderApp(status = sampleStatus(), siteOrigin: string | null = null, config: ConfigView = CONFIG) {
    let current = status;
    let currentConfig = config;
    const fake = fakeClient({
      'connection.state': () => ok({ state: 'connected', transport: 'native' }),
      'connection.retry': () => ok({ state: 'connecting' }),
      'proxy.status': () => ok(current),
      'config.get': () => ok(currentConfig),
      'cors.allowOrigin': (p) => ok((currentConfig = { ...currentConfig, cors_allowed_origins: [...currentConfig.cors_allowed_origins, (p as { origin: string }).origin] })),
      'proxy.start': () => ok((current = sampleStatus({ state: 'running', url: 'http://127.0.0.1:8045' }))),
      'proxy.stop': () => ok((current = sampleStatus())),
      'healthz.check': () => ok({ ok: true, url: 'http://127.0.0.1:8045/healthz', status: 200, body: '{"status":"ok"}', latency_ms: 3.2 }),
    });
    const opened: string[] = [];
    render(<App client={fake.client} siteOrigin={siteOrigin} openMonitor={() => opened.push('monitor')} openSettings={() => opened.push('settings')} />);
    return { fake, opened };
  }

  it('shows the status asked for before it rendered, without asking again', async () => {
    const fake = fakeClient({
      'connection.state': () => ok({ state: 'connected', transport: 'native' }),
      'proxy.status': () => ok(sampleStatus({ state: 'running', url: 'http://127.0.0.1:8045' })),
      'config.get': () => ok(CONFIG),
    });
    // As popup/main.tsx does: the snapshot is asked for as the script starts, before the render.
    const firstSnapshot = requestDaemonSnapshot(fake.client);
    render(<App client={fake.client} firstSnapshot={firstSnapshot} siteOrigin={null} openMonitor={() => {}} openSettings={() => {}} />);
    await waitFor(() => expect($('proxy-state')?.textContent).toBe('running'));
    expect(fake.sent('proxy.status')).toHaveLength(1);
    expect(fake.sent('config.get')).toHaveLength(1);
  });

  it('starts and stops the proxy', async () => {
    const { fake } = renderApp();
    await waitFor(() => expect($('proxy-state')?.textContent).toBe('stopped'));
    fireEvent.click($('toggle-proxy'));
    await waitFor(() => expect($('proxy-state').textContent).toBe('running'));
    expect($('toggle-proxy').textContent).toBe('Stop');
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
    expect($('accounts-ready').textContent).toBe('1 of 1 account ready');
    expect(screen.getByTestId('account-state').textContent).toBe('ready');
  });

  it('checks /healthz and shows body, latency and when it answered', async () => {
    vi.useFakeTimers({ now: new Date(2030, 0, 1, 9, 15, 7), toFake: ['Date'] });
    renderApp(sampleStatus({ state: 'running', url: 'http://127.0.0.1:8045' }));
    await waitFor(() => expect($('check-healthz')).not.toBeNull());
    fireEvent.click($('check-healthz'));
    await waitFor(() => expect($('healthz-result').textContent).toBe('{"status":"ok"} 3 ms · 9:15:07 AM'));
  });

  it('is a glance, not a settings page: no forms, no snippets, the API key nowhere', async () => {
    renderApp(sampleStatus({ state: 'running', url: 'http://127.0.0.1:8045' }, [account()]));
    await waitFor(() => expect(screen.getAllByTestId('account')).toHaveLength(1));
    expect(document.querySelectorAll('form, input, select, textarea')).toHaveLength(0);
    expect($('snippets')).toBeNull();
    expect(document.body.textContent).not.toContain(CONFIG.api_key);
  });

  it('offers "Allow this site" for a web page not allowed yet, and one click allows it', async () => {
    const { fake } = renderApp(sampleStatus(), 'https://chat.example.app');
    await waitFor(() => expect($('allow-site-button')).not.toBeNull());
    expect($('allow-site-button').textContent).toBe('Allow https://chat.example.app to use Localgate');
    fireEvent.click($('allow-site-button'));
    await waitFor(() => expect($('site-allowed').textContent).toBe('https://chat.example.app can use Localgate'));
    expect($('allow-site')).toBeNull();
    expect(fake.sent('cors.allowOrigin')).toEqual([{ origin: 'https://chat.example.app' }]);
  });

  it('offers nothing for a site already allowed, or with no web page', async () => {
    renderApp(sampleStatus(), 'https://chat.example.app', { ...CONFIG, cors_allowed_origins: ['https://chat.example.app'] });
    await waitFor(() => expect($('site-allowed')).not.toBeNull());
    expect($('allow-site')).toBeNull();
    cleanup();
    renderApp(sampleStatus(), null);
    await waitFor(() => expect($('proxy-state')).not.toBeNull());
    expect($('allow-site')).toBeNull();
    expect($('site-allowed')).toBeNull();
  });

  it('shows why allowing failed', async () => {
    const { fake } = renderApp(sampleStatus(), 'https://chat.example.app');
    fake.handlers['cors.allowOrigin'] = () => fail('INVALID_CONFIG', 'Invalid configuration');
    await waitFor(() => expect($('allow-site-button')).not.toBeNull());
    fireEvent.click($('allow-site-button'));
    await waitFor(() => expect($('allow-site-error').textContent).toBe('Invalid configuration'));
  });

  it('links to the monitor and the settings (options page)', async () => {
    const { opened } = renderApp();
    fireEvent.click(screen.getByText('Monitor'));
    fireEvent.click(screen.getByText('Settings'));
    expect(opened).toEqual(['monitor', 'settings']);
  });

  it('shows the install screen when the native host is missing', async () => {
    fakeBrowser.runtime.id = EXTENSION_ID; // the built-in ID: the command needs no --extension-id
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
