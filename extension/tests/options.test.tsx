import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BackgroundContext } from '../components/BackgroundContext';
import { App } from '../entrypoints/options/App';
import { Accounts } from '../entrypoints/options/components/Accounts';
import { Settings } from '../entrypoints/options/components/Settings';
import type { ConfigView } from '../utils/types';
import { fail, fakeClient, ok } from './fake-client';
import { SAMPLE_CONFIG as CONFIG, sampleAccount as account, sampleStatus } from './fakes';

const $ = (id: string) => document.getElementById(id) as HTMLElement;

beforeEach(() => fakeBrowser.reset());
afterEach(() => cleanup());

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

  it('a config arriving while the user types (a reconnect reloads it) keeps their edits and updates the rest', () => {
    const settings = (config: ConfigView) => (
      <BackgroundContext.Provider value={fakeClient().client}>
        <Settings config={config} running={false} onConfig={() => {}} />
      </BackgroundContext.Provider>
    );
    const { rerender } = render(settings(CONFIG));
    fireEvent.input($('port'), { target: { value: '9001' } });
    rerender(settings({ ...CONFIG, api_key: 'sk-fromanotherview0' }));
    expect(($('port') as HTMLInputElement).value).toBe('9001');
    expect(($('api-key') as HTMLInputElement).value).toBe('sk-fromanotherview0');
    rerender(settings({ ...CONFIG, port: 8100, api_key: 'sk-fromanotherview0' }));
    expect(($('port') as HTMLInputElement).value).toBe('9001');
  });

  it('Generate replaces the key, even one being edited', async () => {
    const fake = fakeClient({ 'apiKey.generate': () => ok({ ...CONFIG, api_key: 'sk-generated000000' }) });
    render(
      <BackgroundContext.Provider value={fake.client}>
        <Settings config={CONFIG} running={false} onConfig={() => {}} />
      </BackgroundContext.Provider>,
    );
    fireEvent.input($('api-key'), { target: { value: 'sk-half-typed' } });
    fireEvent.click($('generate-api-key'));
    await waitFor(() => expect(($('api-key') as HTMLInputElement).value).toBe('sk-generated000000'));
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

describe('Accounts (options page)', () => {
  it('toggles, removes after confirmation and adds accounts', async () => {
    const fake = fakeClient({
      'accounts.setEnabled': (p) => ok({ ...account(), ...(p as object) }),
      'accounts.remove': () => ok({ removed: 'a1' }),
      'accounts.add': (p) => ok(account({ id: 'a9', label: (p as { label?: string }).label ?? 'x' })),
    });
    render(
      <BackgroundContext.Provider value={fake.client}>
        <Accounts accounts={[account()]} />
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
  });
});

describe('options page', () => {
  function renderOptions(config: ConfigView = CONFIG) {
    let current = config;
    const fake = fakeClient({
      'connection.state': () => ok({ state: 'connected', transport: 'native' }),
      'proxy.status': () => ok(sampleStatus({ state: 'running', url: 'http://127.0.0.1:8045' })),
      'config.get': () => ok(current),
      'cors.removeOrigin': (p) =>
        ok((current = { ...current, cors_allowed_origins: current.cors_allowed_origins.filter((o) => o !== (p as { origin: string }).origin) })),
    });
    render(<App client={fake.client} />);
    return fake;
  }

  it('renders snippets for the current address and key', async () => {
    renderOptions();
    await waitFor(() => expect($('snippets')).not.toBeNull());
    expect($('snippet-curl').textContent).toBe('curl http://127.0.0.1:8045/healthz');
    expect($('snippet-openai').textContent).toContain("baseURL: 'http://127.0.0.1:8045/v1'");
    expect($('snippet-claude-code').textContent).toContain('export ANTHROPIC_BASE_URL=http://127.0.0.1:8045\n');
    expect($('snippet-claude-code').textContent).toContain(`export ANTHROPIC_API_KEY=${CONFIG.api_key}`);
    expect($('snippet-gemini').textContent).toContain("baseUrl: 'http://127.0.0.1:8045'");
    expect(($('port') as HTMLInputElement).disabled).toBe(true);
  });

  it('lists the allowed web origins and removes one', async () => {
    const fake = renderOptions({ ...CONFIG, cors_allowed_origins: ['https://chat.example.app', 'http://tool.test:3000'] });
    await waitFor(() => expect(screen.getAllByTestId('allowed-origin')).toHaveLength(2));
    const row = screen.getAllByTestId('allowed-origin').find((el) => el.dataset.origin === 'https://chat.example.app')!;
    fireEvent.click(within(row).getByTestId('allowed-origin-remove'));
    await waitFor(() => expect(screen.getAllByTestId('allowed-origin').map((el) => el.dataset.origin)).toEqual(['http://tool.test:3000']));
    expect(fake.sent('cors.removeOrigin')).toEqual([{ origin: 'https://chat.example.app' }]);
  });

  it('shows why a removal failed', async () => {
    const fake = renderOptions({ ...CONFIG, cors_allowed_origins: ['https://chat.example.app'] });
    fake.handlers['cors.removeOrigin'] = () => fail('INVALID_CONFIG', 'Invalid configuration');
    await waitFor(() => expect(screen.getAllByTestId('allowed-origin')).toHaveLength(1));
    fireEvent.click(screen.getByTestId('allowed-origin-remove'));
    await waitFor(() => expect($('allowed-origins-error').textContent).toBe('Invalid configuration'));
  });
});
