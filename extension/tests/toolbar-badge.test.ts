import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ConnectionManager } from '../background/connection-manager';
import { badgeFor, followDaemonOnToolbar, type ActionLike } from '../background/toolbar-badge';
import { fakeTransports, flush, NOT_FOUND, sampleStatus } from './fakes';

const connected = { state: 'connected', transport: 'native' } as const;

describe('badgeFor', () => {
  it('running: the port on the badge, the address in the title', () => {
    expect(badgeFor(connected, sampleStatus({ state: 'running', port: 9123, url: 'http://127.0.0.1:9123' }))).toEqual({
      text: '9123',
      title: 'Localgate: running on http://127.0.0.1:9123',
      color: '#15803d',
    });
  });

  it('stopped: "off"', () => {
    expect(badgeFor(connected, sampleStatus())).toMatchObject({ text: 'off', title: 'Localgate: stopped' });
  });

  it('a failed start: "!" with the message in the title', () => {
    const status = sampleStatus({ last_error: { code: 'BIND_FAILED', message: 'Failed to start proxy server: failed to bind address' } });
    expect(badgeFor(connected, status)).toMatchObject({ text: '!', title: 'Localgate: error — Failed to start proxy server: failed to bind address' });
  });

  it('no daemon to talk to: "!" with the reason, whatever status was last seen', () => {
    const info = { state: 'error', code: 'DAEMON_UNREACHABLE', message: 'The Localgate daemon is not running and could not be started' } as const;
    expect(badgeFor(info, sampleStatus({ state: 'running' }))).toMatchObject({
      text: '!',
      title: 'Localgate: error — The Localgate daemon is not running and could not be started',
    });
  });

  it('nothing known yet: a plain icon', () => {
    expect(badgeFor({ state: 'connecting' }, null)).toMatchObject({ text: '', title: 'Localgate' });
  });
});

function recordingAction() {
  const calls: { text?: string; title?: string; color?: string }[] = [];
  const action: ActionLike = {
    setBadgeText: ({ text }) => void calls.push({ text }),
    setTitle: ({ title }) => void calls.push({ title }),
    setBadgeBackgroundColor: ({ color }) => void calls.push({ color }),
  };
  const last = (key: 'text' | 'title') => calls.filter((call) => key in call).at(-1)?.[key];
  return { action, calls, text: () => last('text'), title: () => last('title') };
}

/** A connection manager on fake transports, the badge following it, connecting. */
async function following() {
  const transports = fakeTransports();
  const manager = new ConnectionManager({ transports: transports.deps, loadPairing: async () => null });
  const badge = recordingAction();
  followDaemonOnToolbar(manager, badge.action);
  manager.connect();
  await flush();
  return { transports, badge, manager };
}

describe('followDaemonOnToolbar (no view open)', () => {
  beforeEach(() => fakeBrowser.reset());

  it('asks for one status when connected, then follows pushed status only', async () => {
    const { transports, badge } = await following();
    const port = transports.ports[0]!;
    // The first pushed event connects the port; the badge then asks for a snapshot once.
    port.receive({ event: 'status', data: sampleStatus() });
    await flush();
    expect(badge.text()).toBe('off');
    const asked = port.sent.filter((message) => (message as { type: string }).type === 'proxy.status') as { id: string }[];
    expect(asked).toHaveLength(1);
    port.receive({ id: asked[0]!.id, ok: true, result: sampleStatus() });
    await flush();

    port.receive({ event: 'status', data: sampleStatus({ state: 'running', port: 8045, url: 'http://127.0.0.1:8045' }) });
    await flush();
    expect(badge.text()).toBe('8045');
    expect(badge.title()).toBe('Localgate: running on http://127.0.0.1:8045');

    port.receive({ event: 'status', data: sampleStatus({ last_error: { code: 'NO_ACCOUNTS', message: 'No available accounts, please add an account first' } }) });
    await flush();
    expect(badge.text()).toBe('!');
    expect(badge.title()).toBe('Localgate: error — No available accounts, please add an account first');
    expect(port.sent.filter((message) => (message as { type: string }).type === 'proxy.status')).toHaveLength(1);
  });

  it('asks for the status as soon as it connects: the native relay pushes nothing until a change, so the badge would stay blank', async () => {
    const { transports, badge } = await following();
    const port = transports.ports[0]!;
    const asked = port.sent.filter((message) => (message as { type: string }).type === 'proxy.status') as { id: string }[];
    expect(asked).toHaveLength(1);
    port.receive({ id: asked[0]!.id, ok: true, result: sampleStatus({ state: 'running', port: 8045, url: 'http://127.0.0.1:8045' }) });
    await flush();
    expect(badge.text()).toBe('8045');
    // Connected by that reply: no second snapshot.
    expect(port.sent.filter((message) => (message as { type: string }).type === 'proxy.status')).toHaveLength(1);
  });

  it('asks again when a lost connection is made anew (a view reconnects it)', async () => {
    const { transports, badge, manager } = await following();
    const first = transports.ports[0]!;
    const [asked] = first.sent as { id: string }[];
    first.receive({ id: asked!.id, ok: true, result: sampleStatus() });
    await flush();
    transports.closeNative(first, 'Native host has exited.');
    await flush();
    expect(badge.text()).toBe('!');
    // Nothing reconnects by itself; a view opening does, and the badge asks once more.
    manager.connect();
    await flush();
    const second = transports.ports[1]!;
    const again = second.sent.filter((message) => (message as { type: string }).type === 'proxy.status') as { id: string }[];
    expect(again).toHaveLength(1);
    second.receive({ id: again[0]!.id, ok: true, result: sampleStatus({ state: 'running', port: 8046, url: 'http://127.0.0.1:8046' }) });
    await flush();
    expect(badge.text()).toBe('8046');
  });

  it('shows the connection problem when the native host is missing', async () => {
    const { transports, badge } = await following();
    transports.closeNative(transports.ports[0]!, NOT_FOUND);
    await flush(10);
    expect(badge.text()).toBe('!');
    expect(badge.title()).toMatch(/^Localgate: error — .*native host/i);
  });
});
