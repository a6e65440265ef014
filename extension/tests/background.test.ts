import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBackground } from '../background/create-background';
import type { ViewPortLike } from '../background/view-hub';
import { pairingItem } from '../utils/storage-items';
import { VIEW_PORT_NAME } from '../utils/view-protocol';
import { fakeTransports, flush, NOT_FOUND, sampleStatus } from './fakes';

class FakeViewPort implements ViewPortLike {
  readonly received: any[] = [];
  readonly #messageListeners: ((message: unknown) => void)[] = [];
  readonly #disconnectListeners: (() => void)[] = [];
  onMessage = { addListener: (l: (message: unknown) => void) => void this.#messageListeners.push(l) };
  onDisconnect = { addListener: (l: () => void) => void this.#disconnectListeners.push(l) };
  constructor(readonly name: string = VIEW_PORT_NAME) {}
  postMessage(message: unknown) {
    this.received.push(structuredClone(message));
  }
  send(message: unknown) {
    for (const l of this.#messageListeners) l(message);
  }
  close() {
    for (const l of this.#disconnectListeners) l();
  }
  replies() {
    return this.received.filter((m) => 'id' in m);
  }
  events(name?: string) {
    return this.received.filter((m) => 'event' in m && (!name || m.event === name));
  }
}

function setup() {
  const transports = fakeTransports();
  const { manager, hub } = createBackground({ transports: transports.deps }, { idleCloseMs: 0 });
  return { manager, hub, transports };
}

describe('background', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('registers its onConnect listener synchronously in main()', async () => {
    const addListener = vi.fn();
    (fakeBrowser.runtime as any).onConnect = { addListener };
    const { default: background } = await import('../entrypoints/background');
    background.main();
    expect(addListener).toHaveBeenCalledTimes(1);
  });

  it('greets a view with the connection state and connects', async () => {
    const { hub, transports } = setup();
    const view = new FakeViewPort();
    hub.accept(view);
    expect(view.events('connection')[0]).toEqual({ event: 'connection', data: { state: 'connecting' } });
    await flush();
    expect(transports.ports).toHaveLength(1);
    hub.accept(new FakeViewPort('someone-else'));
    expect(hub.viewCount).toBe(1);
  });

  it('relays requests under the view’s id and broadcasts events to every view', async () => {
    const { hub, transports } = setup();
    const a = new FakeViewPort();
    const b = new FakeViewPort();
    hub.accept(a);
    hub.accept(b);
    a.send({ id: 'v1', type: 'proxy.status' });
    await flush();
    const port = transports.ports[0]!;
    const wire = port.sent.at(-1) as { id: string };
    expect(wire.id).not.toBe('v1');
    port.receive({ id: wire.id, ok: true, result: sampleStatus() });
    port.receive({ event: 'status', data: sampleStatus({ state: 'running' }) });
    await flush();
    expect(a.replies()).toEqual([{ id: 'v1', ok: true, result: sampleStatus() }]);
    expect(b.replies()).toEqual([]);
    for (const view of [a, b]) {
      expect(view.events('status')).toHaveLength(1);
      expect(view.events('connection').at(-1)?.data).toMatchObject({ state: 'connected', transport: 'native' });
    }
  });

  it('answers unknown and malformed requests with an error', async () => {
    const { hub } = setup();
    const view = new FakeViewPort();
    hub.accept(view);
    view.send({ id: 'x1', type: 'rm.rf' });
    view.send({ id: 'x2' });
    view.send('junk');
    await flush();
    expect(view.replies()).toEqual([
      { id: 'x1', ok: false, error: { code: 'UNKNOWN_MESSAGE', message: 'Unknown control message type' } },
      { id: 'x2', ok: false, error: { code: 'INVALID_MESSAGE', message: 'Malformed control message' } },
    ]);
  });

  it('stores a pasted pairing and uses it when the native host is missing', async () => {
    const { hub, transports } = setup();
    const view = new FakeViewPort();
    hub.accept(view);
    view.send({ id: 'p0', type: 'proxy.status' });
    await flush();
    transports.closeNative(transports.ports[0]!, NOT_FOUND);
    await flush(10);
    expect(view.replies()[0]).toMatchObject({ id: 'p0', ok: false, error: { code: 'NATIVE_HOST_MISSING' } });
    expect(view.events('connection').at(-1)?.data).toMatchObject({ state: 'native-host-missing' });

    view.send({ id: 'p1', type: 'pairing.set', payload: { pairing: 'localgate-pair:http://example.com/#x' } });
    await flush(10);
    expect(view.replies()[1]).toMatchObject({ id: 'p1', ok: false, error: { code: 'INVALID_MESSAGE' } });

    view.send({ id: 'p2', type: 'pairing.set', payload: { pairing: 'localgate-pair:ws://127.0.0.1:47001/control#0123456789abcdef' } });
    await flush(10);
    expect(view.replies()[2]).toEqual({ id: 'p2', ok: true, result: { url: 'ws://127.0.0.1:47001/control' } });
    expect(await pairingItem.getValue()).toEqual({ url: 'ws://127.0.0.1:47001/control', token: '0123456789abcdef' });

    // The pairing change made it reconnect: native first, then the WebSocket.
    expect(transports.ports).toHaveLength(2);
    transports.closeNative(transports.ports[1]!, NOT_FOUND);
    await flush(10);
    expect(transports.sockets).toHaveLength(1);
    transports.sockets[0]!.open();
    expect(await transports.sockets[0]!.playDaemonHandshake('0123456789abcdef')).toBe(true);
    expect(view.events('connection').at(-1)?.data).toMatchObject({ state: 'connected', transport: 'websocket' });
  });

  it('answers connection.state itself', async () => {
    const { hub } = setup();
    const view = new FakeViewPort();
    hub.accept(view);
    view.send({ id: 'c1', type: 'connection.state' });
    await flush();
    expect(view.replies()[0]).toMatchObject({ id: 'c1', ok: true, result: { state: 'connecting', transport: 'native' } });
  });
});
