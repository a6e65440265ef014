import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AccountTestResult, AccountView } from '../../shared/accounts';
import { EXTENSION_ID } from '../../shared/extension-identity';
import { BackgroundContext } from '../components/BackgroundContext';
import { App } from '../entrypoints/options/App';
import { Accounts } from '../entrypoints/options/components/Accounts';
import { ApiKey } from '../entrypoints/options/components/ApiKey';
import { Settings } from '../entrypoints/options/components/Settings';
import { Snippets } from '../entrypoints/options/components/Snippets';
import type { ConfigView } from '../utils/types';
import type { ConnectionInfo } from '../utils/view-protocol';
import { fail, fakeClient, ok } from './fake-client';
import { SAMPLE_CONFIG as CONFIG, sampleAccount as account, sampleStatus } from './fakes';

const $ = (id: string) => document.getElementById(id) as HTMLElement;
const valueOf = (id: string) => ($(id) as HTMLInputElement).value;
const notices = () => screen.queryAllByTestId('changed-elsewhere').map((el) => el.textContent);

let copied: string[];
beforeEach(() => {
  fakeBrowser.reset();
  copied = [];
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (text: string) => void copied.push(text) } });
});
afterEach(() => cleanup());

function renderSettings(config: ConfigView = CONFIG, running = false, accounts: AccountView[] = []) {
  const fake = fakeClient({ 'config.update': (patch) => ok({ ...config, ...(patch as object) }) });
  const configs: ConfigView[] = [];
  const view = (next: ConfigView) => (
    <BackgroundContext.Provider value={fake.client}>
      <Settings config={next} running={running} accounts={accounts} onConfig={(c) => configs.push(c)} />
    </BackgroundContext.Provider>
  );
  const { rerender } = render(view(config));
  return { fake, configs, push: (next: ConfigView) => rerender(view(next)) };
}

describe('Settings', () => {
  it('disables the port while the proxy runs', () => {
    renderSettings(CONFIG, true);
    expect(($('port') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText('Stop the proxy to change the port.')).toBeTruthy();
  });

  it('checks whole numbers against the daemon’s bounds', () => {
    renderSettings();
    fireEvent.input($('port'), { target: { value: '80' } });
    expect($('port-error').textContent).toBe('port must be a whole number from 1024 to 65535');
    fireEvent.input($('request-timeout-s'), { target: { value: '0' } });
    expect($('request-timeout-s-error').textContent).toBe('request_timeout_s must be a whole number from 1 to 3600');
    fireEvent.input($('max-attempts'), { target: { value: '2.5' } });
    expect($('max-attempts-error').textContent).toBe('max_attempts must be a whole number from 1 to 10');
    expect(($('save-settings') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input($('port'), { target: { value: '9001' } });
    fireEvent.input($('request-timeout-s'), { target: { value: '120' } });
    fireEvent.input($('max-attempts'), { target: { value: '2' } });
    expect($('port-error')).toBeNull();
    expect(($('save-settings') as HTMLButtonElement).disabled).toBe(false);
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
    const { fake, configs, push } = renderSettings({ ...CONFIG, model_mapping: { 'gpt-4': 'gpt-4o' } }, false, [account({ id: 'acc_1', label: 'first' }), account({ id: 'acc_2', label: 'second' })]);
    expect(($('save-settings') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input($('port'), { target: { value: '9001' } });
    fireEvent.click($('allow-lan'));
    fireEvent.change($('auth-mode'), { target: { value: 'strict' } });
    fireEvent.change($('scheduling'), { target: { value: 'sticky' } });
    fireEvent.change($('preferred-account'), { target: { value: 'acc_2' } });
    fireEvent.input($('stream-idle-timeout-s'), { target: { value: '60' } });
    fireEvent.click($('mapping-add'));
    const [, added] = screen.getAllByTestId('mapping-row');
    fireEvent.input(within(added!).getByTestId('mapping-pattern'), { target: { value: 'claude-*' } });
    fireEvent.input(within(added!).getByTestId('mapping-model'), { target: { value: 'gpt-4o-mini' } });
    fireEvent.click($('save-settings'));
    await waitFor(() => expect(configs).toHaveLength(1));
    expect(fake.sent('config.update')).toEqual([
      {
        port: 9001,
        stream_idle_timeout_s: 60,
        allow_lan_access: true,
        auth_mode: 'strict',
        scheduling: 'sticky',
        preferred_account: 'acc_2',
        model_mapping: { 'gpt-4': 'gpt-4o', 'claude-*': 'gpt-4o-mini' },
      },
    ]);
    push(configs[0]!); // as the page does with the reply
    expect($('settings-saved').textContent).toBe('Saved');
    expect(($('save-settings') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change($('scheduling'), { target: { value: 'round_robin' } });
    expect($('settings-saved')).toBeNull(); // edited again: not "Saved" any more
  });

  it('edits the model mapping: remove a row, refuse empty or repeated names', async () => {
    const { fake } = renderSettings({ ...CONFIG, model_mapping: { 'gpt-4': 'gpt-4o', 'o1*': 'o3' } });
    expect(screen.getAllByTestId('mapping-pattern').map((el) => (el as HTMLInputElement).value)).toEqual(['gpt-4', 'o1*']);
    fireEvent.click($('mapping-add'));
    fireEvent.click($('save-settings'));
    expect($('model-mapping-error').textContent).toMatch(/every mapping needs/);
    const rows = screen.getAllByTestId('mapping-row');
    fireEvent.input(within(rows[2]!).getByTestId('mapping-pattern'), { target: { value: 'gpt-4' } });
    fireEvent.input(within(rows[2]!).getByTestId('mapping-model'), { target: { value: 'x' } });
    expect($('model-mapping-error').textContent).toBe('gpt-4 is mapped twice');
    fireEvent.click(within(rows[0]!).getByTestId('mapping-remove'));
    expect($('model-mapping-error')).toBeNull();
    fireEvent.click($('save-settings'));
    await waitFor(() => expect(fake.sent('config.update')).toEqual([{ model_mapping: { 'o1*': 'o3', 'gpt-4': 'x' } }]));
  });

  it('a config pushed while the user edits keeps their edits, says what changed, and follows the untouched fields', () => {
    const { push } = renderSettings();
    fireEvent.input($('port'), { target: { value: '9001' } });
    fireEvent.change($('scheduling'), { target: { value: 'fill_first' } });
    push({ ...CONFIG, port: 8100, scheduling: 'sticky', request_timeout_s: 120 });
    expect(valueOf('port')).toBe('9001');
    expect(valueOf('scheduling')).toBe('fill_first');
    expect(valueOf('request-timeout-s')).toBe('120'); // untouched: follows
    expect($('port-changed').textContent).toContain('Changed elsewhere to 8100');
    expect($('scheduling-changed').textContent).toContain('Changed elsewhere to sticky');
    expect(notices()).toHaveLength(2);

    fireEvent.click($('cancel-settings'));
    expect(valueOf('port')).toBe('8100');
    expect(valueOf('scheduling')).toBe('sticky');
    expect(notices()).toEqual([]);
    expect(($('save-settings') as HTMLButtonElement).disabled).toBe(true);
  });

  it('saving an edit made while the daemon changed the same field keeps the user’s value and clears the notice', async () => {
    const { fake, push, configs } = renderSettings();
    fireEvent.change($('auth-mode'), { target: { value: 'strict' } });
    push({ ...CONFIG, auth_mode: 'all_except_health' });
    expect($('auth-mode-changed').textContent).toContain('all_except_health');
    fireEvent.click($('save-settings'));
    await waitFor(() => expect(configs).toHaveLength(1));
    expect(fake.sent('config.update')).toEqual([{ auth_mode: 'strict' }]);
    push(configs[0]!);
    expect(valueOf('auth-mode')).toBe('strict');
    expect(notices()).toEqual([]);
  });

  it('shows the daemon’s error message', async () => {
    const { fake } = renderSettings();
    fake.handlers['config.update'] = () => fail('INVALID_CONFIG', 'Invalid configuration');
    fireEvent.change($('auth-mode'), { target: { value: 'strict' } });
    fireEvent.click($('save-settings'));
    await waitFor(() => expect($('settings-error').textContent).toBe('Invalid configuration'));
  });
});

describe('API key', () => {
  function renderKey(apiKey = 'sk-0123456789abcdef') {
    const fake = fakeClient({ 'apiKey.generate': () => ok({ ...CONFIG, api_key: 'sk-generated000000' }) });
    const configs: ConfigView[] = [];
    render(
      <BackgroundContext.Provider value={fake.client}>
        <ApiKey apiKey={apiKey} onConfig={(c) => configs.push(c)} />
      </BackgroundContext.Provider>,
    );
    return { fake, configs };
  }

  it('is masked until revealed, and Copy takes the whole key', async () => {
    renderKey();
    expect($('api-key').textContent).toBe('sk-••••••••cdef');
    fireEvent.click($('reveal-api-key'));
    expect($('api-key').textContent).toBe('sk-0123456789abcdef');
    fireEvent.click($('reveal-api-key'));
    expect($('api-key').textContent).toBe('sk-••••••••cdef');
    fireEvent.click($('copy-api-key'));
    await waitFor(() => expect(copied).toEqual(['sk-0123456789abcdef']));
  });

  it('regenerates only after a confirmation, and shows the daemon’s new key', async () => {
    const { fake, configs } = renderKey();
    fireEvent.click($('regenerate-api-key'));
    expect(fake.sent('apiKey.generate')).toEqual([]);
    expect(screen.getByText('Clients using the current key will stop working.')).toBeTruthy();
    fireEvent.click($('regenerate-api-key-confirm'));
    await waitFor(() => expect(configs.map((c) => c.api_key)).toEqual(['sk-generated000000']));
    expect(fake.sent('apiKey.generate')).toHaveLength(1);
    expect($('api-key-saved')).not.toBeNull();
  });
});

describe('Accounts (options page)', () => {
  function renderAccounts(accounts: AccountView[], handlers: Parameters<typeof fakeClient>[0] = {}) {
    const fake = fakeClient(handlers);
    const view = (list: AccountView[]) => (
      <BackgroundContext.Provider value={fake.client}>
        <Accounts accounts={list} />
      </BackgroundContext.Provider>
    );
    const { rerender } = render(view(accounts));
    return { fake, push: (list: AccountView[]) => rerender(view(list)) };
  }

  it('toggles, removes after confirmation and adds accounts', async () => {
    const { fake } = renderAccounts([account()], {
      'accounts.setEnabled': (p) => ok({ ...account(), ...(p as object) }),
      'accounts.remove': () => ok({ removed: 'a1' }),
      'accounts.add': (p) => ok(account({ id: 'a9', label: (p as { label?: string }).label ?? 'x' })),
    });
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
    expect(valueOf('account-base-url')).toBe('https://api.anthropic.com');
    fireEvent.input($('account-api-key'), { target: { value: 'sk-ant-secret' } });
    fireEvent.input($('account-label'), { target: { value: 'claude' } });
    fireEvent.input($('account-models'), { target: { value: 'claude-*, claude-3-haiku' } });
    fireEvent.click($('add-account'));
    await waitFor(() => expect($('add-account-done').textContent).toBe('Added claude'));
    expect(fake.sent('accounts.add')).toEqual([
      { provider: 'anthropic', base_url: 'https://api.anthropic.com', api_key: 'sk-ant-secret', label: 'claude', models: ['claude-*', 'claude-3-haiku'], enabled: true },
    ]);
  });

  it('the Enabled box shows the click while the daemon answers, and the daemon’s state after', async () => {
    let answer!: () => void;
    const { fake } = renderAccounts([account()], {
      'accounts.setEnabled': () => new Promise((resolve) => (answer = () => resolve(fail('ACCOUNT_NOT_FOUND', 'No account with id "a1"')))),
    });
    const box = screen.getByTestId('account-enabled') as HTMLInputElement;
    fireEvent.click(box);
    await waitFor(() => expect(fake.sent('accounts.setEnabled')).toHaveLength(1));
    expect(box.checked).toBe(false);
    answer();
    await waitFor(() => expect(screen.getByTestId('account-error').textContent).toBe('No account with id "a1"'));
    expect(box.checked).toBe(true); // refused: back to what the daemon has
  });

  it('edits label, base URL and models, and replaces the key through a write-only field', async () => {
    const { fake } = renderAccounts([account({ models: ['gpt-4o'] })], { 'accounts.update': () => ok(account()) });
    fireEvent.click(screen.getByTestId('account-edit'));
    expect(valueOf('edit-a1-label')).toBe('work');
    expect(valueOf('edit-a1-base-url')).toBe('https://api.openai.com/v1');
    expect(valueOf('edit-a1-models')).toBe('gpt-4o');
    const key = $('edit-a1-api-key') as HTMLInputElement;
    expect(key.type).toBe('password');
    expect(key.value).toBe('');
    expect(key.placeholder).toBe('unchanged (sk-abc…wxyz)');

    fireEvent.input($('edit-a1-label'), { target: { value: 'team' } });
    fireEvent.input($('edit-a1-models'), { target: { value: '' } });
    fireEvent.input(key, { target: { value: 'sk-brand-new-key' } });
    fireEvent.click(screen.getByTestId('account-edit-save'));
    await waitFor(() => expect(fake.sent('accounts.update')).toEqual([{ id: 'a1', label: 'team', models: null, api_key: 'sk-brand-new-key' }]));
    await waitFor(() => expect(screen.queryByTestId('account-edit-form')).toBeNull());
  });

  it('sends nothing for an unchanged edit, and refuses a bad base URL before sending', async () => {
    const { fake } = renderAccounts([account()], { 'accounts.update': () => ok(account()) });
    fireEvent.click(screen.getByTestId('account-edit'));
    fireEvent.click(screen.getByTestId('account-edit-save'));
    await waitFor(() => expect(screen.queryByTestId('account-edit-form')).toBeNull());
    fireEvent.click(screen.getByTestId('account-edit'));
    fireEvent.input($('edit-a1-base-url'), { target: { value: 'ftp://files.example' } });
    fireEvent.click(screen.getByTestId('account-edit-save'));
    expect(screen.getByTestId('account-edit-error').textContent).toMatch(/^base_url: /);
    expect(fake.sent('accounts.update')).toEqual([]);
  });

  it('an edit in progress stays when a pushed status renames the account, and says so', () => {
    const { push } = renderAccounts([account()]);
    fireEvent.click(screen.getByTestId('account-edit'));
    fireEvent.input($('edit-a1-label'), { target: { value: 'mine' } });
    push([account({ label: 'renamed elsewhere', base_url: 'https://proxy.example/v1' })]);
    expect(valueOf('edit-a1-label')).toBe('mine');
    expect($('edit-a1-label-changed').textContent).toContain('renamed elsewhere');
    expect(valueOf('edit-a1-base-url')).toBe('https://proxy.example/v1'); // untouched: follows
    fireEvent.click(screen.getByTestId('account-edit-cancel'));
    expect(screen.queryByTestId('account-edit-form')).toBeNull();
  });

  it.each<[AccountTestResult, string, string]>([
    [{ outcome: 'works', modelCount: 12 }, 'Works (12 models)', 'ok'],
    [{ outcome: 'key-rejected', message: 'Incorrect API key provided' }, 'Key rejected: Incorrect API key provided', 'error'],
    [{ outcome: 'unreachable', message: 'connection refused' }, 'Unreachable: connection refused', 'error'],
    [{ outcome: 'provider-error', message: 'Your organization is suspended' }, 'Provider error: Your organization is suspended', 'error'],
  ])('Test shows %j as "%s"', async (result, text, kind) => {
    const { fake } = renderAccounts([account()], { 'accounts.test': () => ok(result) });
    fireEvent.click(screen.getByTestId('account-test'));
    await waitFor(() => expect(screen.getByTestId('account-test-result').textContent).toBe(text));
    expect(screen.getByTestId('account-test-result').className).toBe(kind);
    expect(fake.sent('accounts.test')).toEqual([{ id: 'a1' }]);
  });

  it('Test shows why the daemon could not test', async () => {
    renderAccounts([account()], { 'accounts.test': () => fail('ACCOUNT_NOT_FOUND', 'No account with id "a1"') });
    fireEvent.click(screen.getByTestId('account-test'));
    await waitFor(() => expect(screen.getByTestId('account-error').textContent).toBe('No account with id "a1"'));
    expect(screen.queryByTestId('account-test-result')).toBeNull();
  });

  it('offers no Test, Edit or Remove on the demo account', () => {
    renderAccounts([account({ demo: true })]);
    expect(screen.queryByTestId('account-test')).toBeNull();
    expect(screen.queryByTestId('account-edit')).toBeNull();
    expect(screen.queryByTestId('account-remove')).toBeNull();
  });
});

describe('Snippets', () => {
  const renderSnippets = (authMode = 'strict') =>
    render(<Snippets origin="http://127.0.0.1:8045" apiKey="sk-0123456789abcdef" authMode={authMode} allowLan={false} />);

  it('covers curl, OpenAI Python and JS, Claude Code, Codex and the Gemini SDK, the key masked until revealed', async () => {
    renderSnippets();
    expect(screen.getAllByTestId('snippet').map((el) => el.id)).toEqual([
      'snippet-curl',
      'snippet-openai-python',
      'snippet-openai-js',
      'snippet-claude-code',
      'snippet-codex',
      'snippet-gemini',
    ]);
    expect($('snippets').textContent).not.toContain('sk-0123456789abcdef');
    expect($('snippet-curl').textContent).toContain('-H "Authorization: Bearer sk-••••••••cdef"');
    expect($('snippet-openai-python').textContent).toContain('client = OpenAI(base_url="http://127.0.0.1:8045/v1", api_key="sk-••••••••cdef")');
    expect($('snippet-codex').textContent).toContain('base_url = "http://127.0.0.1:8045/v1"\nwire_api = "responses"');

    fireEvent.click($('copy-snippet-claude-code'));
    await waitFor(() => expect(copied).toEqual(['export ANTHROPIC_BASE_URL=http://127.0.0.1:8045\nexport ANTHROPIC_API_KEY=sk-0123456789abcdef\nclaude']));
    fireEvent.click($('reveal-snippet-key'));
    expect($('snippet-gemini').textContent).toContain("new GoogleGenAI({ apiKey: 'sk-0123456789abcdef', httpOptions: { baseUrl: 'http://127.0.0.1:8045' } })");
  });

  it('curl sends no key when auth is off', () => {
    renderSnippets('off');
    expect($('snippet-curl').textContent).not.toContain('Authorization');
  });
});

describe('options page', () => {
  function renderOptions(config: ConfigView = CONFIG, connection: ConnectionInfo = { state: 'connected', transport: 'native' }) {
    let current = config;
    const fake = fakeClient({
      'connection.state': () => ok(connection),
      'proxy.status': () => ok(sampleStatus({ state: 'running', url: 'http://127.0.0.1:8045' })),
      'config.get': () => ok(current),
      'cors.removeOrigin': (p) =>
        ok((current = { ...current, cors_allowed_origins: current.cors_allowed_origins.filter((o) => o !== (p as { origin: string }).origin) })),
      'cors.allowOrigin': (p) => ok((current = { ...current, cors_allowed_origins: [...current.cors_allowed_origins, (p as { origin: string }).origin] })),
    });
    render(<App client={fake.client} />);
    return fake;
  }

  it('shows the live address in the snippets and locks the port while running', async () => {
    renderOptions();
    await waitFor(() => expect($('snippets')).not.toBeNull());
    expect($('snippet-openai-js').textContent).toContain("baseURL: 'http://127.0.0.1:8045/v1'");
    expect(($('port') as HTMLInputElement).disabled).toBe(true);
  });

  it('follows the config the daemon pushes, without asking for it again', async () => {
    // Still `connecting`: the one load on open is all, so every request after it would be a poll.
    const fake = renderOptions(CONFIG, { state: 'connecting' });
    await waitFor(() => expect($('api-key')).not.toBeNull());
    const asked = fake.request.mock.calls.length;
    fake.emit('config', { ...CONFIG, api_key: 'sk-pushedbytheCLI9876', cors_allowed_origins: ['https://pushed.example'], scheduling: 'sticky' });
    await waitFor(() => expect($('api-key').textContent).toBe('sk-••••••••9876'));
    expect(screen.getAllByTestId('allowed-origin').map((el) => el.dataset.origin)).toEqual(['https://pushed.example']);
    expect(valueOf('scheduling')).toBe('sticky');
    fake.emit('status', sampleStatus({ state: 'running', url: 'http://127.0.0.1:8045' }, [account({ label: 'pushed account' })]));
    await waitFor(() => expect(within($('accounts')).getByText('pushed account')).toBeTruthy());
    expect(fake.request.mock.calls.length).toBe(asked); // shown from the pushes alone
  });

  it('lists the allowed web origins, removes one and adds one', async () => {
    const fake = renderOptions({ ...CONFIG, cors_allowed_origins: ['https://chat.example.app', 'http://tool.test:3000'] });
    await waitFor(() => expect(screen.getAllByTestId('allowed-origin')).toHaveLength(2));
    const row = screen.getAllByTestId('allowed-origin').find((el) => el.dataset.origin === 'https://chat.example.app')!;
    fireEvent.click(within(row).getByTestId('allowed-origin-remove'));
    await waitFor(() => expect(screen.getAllByTestId('allowed-origin').map((el) => el.dataset.origin)).toEqual(['http://tool.test:3000']));
    expect(fake.sent('cors.removeOrigin')).toEqual([{ origin: 'https://chat.example.app' }]);

    fireEvent.input($('add-origin'), { target: { value: 'https://new.example/chat' } });
    fireEvent.click($('add-origin-button'));
    expect($('add-origin-error').textContent).toMatch(/no path/);
    fireEvent.input($('add-origin'), { target: { value: 'https://new.example' } });
    fireEvent.click($('add-origin-button'));
    await waitFor(() => expect(screen.getAllByTestId('allowed-origin').map((el) => el.dataset.origin)).toEqual(['http://tool.test:3000', 'https://new.example']));
    expect(fake.sent('cors.allowOrigin')).toEqual([{ origin: 'https://new.example' }]);
    expect(valueOf('add-origin')).toBe('');
  });

  it('shows why a removal failed', async () => {
    const fake = renderOptions({ ...CONFIG, cors_allowed_origins: ['https://chat.example.app'] });
    fake.handlers['cors.removeOrigin'] = () => fail('INVALID_CONFIG', 'Invalid configuration');
    await waitFor(() => expect(screen.getAllByTestId('allowed-origin')).toHaveLength(1));
    fireEvent.click(screen.getByTestId('allowed-origin-remove'));
    await waitFor(() => expect($('allowed-origins-error').textContent).toBe('Invalid configuration'));
  });

  describe('Connection', () => {
    it('says the native host is installed when it carries the connection', async () => {
      renderOptions();
      await waitFor(() => expect($('connection-state').textContent).toBe('Connected through the native host: it is installed for this browser.'));
      expect($('pairing-input')).toBeNull();
    });

    it('when the native host runs but the daemon cannot be reached, says so and does not ask to install it', async () => {
      renderOptions(CONFIG, { state: 'error', transport: 'native', code: 'DAEMON_UNREACHABLE', message: 'The Localgate daemon is not running and could not be started' });
      await waitFor(() => expect($('connection-state').textContent).toBe('Not connected: The Localgate daemon is not running and could not be started'));
      expect($('retry-native')).toBeNull();
      expect($('pairing-input')).toBeNull();
      expect($('retry-connection')).not.toBeNull(); // the banner's Retry
    });

    it('on a pairing, says the native host is missing, gives the install command and lets the pairing go', async () => {
      fakeBrowser.runtime.id = EXTENSION_ID;
      const fake = renderOptions(CONFIG, { state: 'connected', transport: 'websocket', paired: true });
      fake.handlers['pairing.clear'] = () => ok({ cleared: true });
      await waitFor(() => expect($('connection-state').textContent).toBe('Connected over the paired WebSocket: the native host is not installed for this browser.'));
      await waitFor(() => expect($('install-command').textContent).toBe('npx localgate install-native-host --browser chrome'));
      expect($('pairing-input')).not.toBeNull();
      fireEvent.click($('forget-pairing'));
      await waitFor(() => expect(fake.sent('pairing.clear')).toHaveLength(1));
    });

    it('names this extension’s ID in the command when it is not the built-in one (a store install)', async () => {
      fakeBrowser.runtime.id = 'abcdefghijklmnopabcdefghijklmnop';
      renderOptions(CONFIG, { state: 'native-host-missing', code: 'NATIVE_HOST_MISSING', paired: false });
      await waitFor(() => expect($('install-command').textContent).toBe('npx localgate install-native-host --browser chrome --extension-id abcdefghijklmnopabcdefghijklmnop'));
      expect($('settings')).toBeNull();
      expect($('connection-state').textContent).toMatch(/native host is not installed for this browser, and no pairing is stored/);
      fireEvent.change($('install-browser'), { target: { value: 'firefox' } });
      await waitFor(() => expect($('install-command').textContent).toBe('npx localgate install-native-host --browser firefox'));
    });
  });
});
