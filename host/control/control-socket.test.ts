import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlSocket } from './control-socket.js';

const PROTOCOL = 'localgate.v2';

/** A server frame (unmasked). */
function frame(opcode: number, payload: Buffer, fin = true): Buffer {
  const length = payload.length;
  const head = length < 126 ? Buffer.from([0, length]) : length < 0x10000 ? Buffer.from([0, 126, length >> 8, length & 0xff]) : Buffer.alloc(10);
  if (length >= 0x10000) {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  head[0] = (fin ? 0x80 : 0) | opcode;
  return Buffer.concat([head, payload]);
}

/** Client frames as the server reads them: masked, unmasked here. */
function clientFrames(data: Buffer): Array<{ opcode: number; masked: boolean; payload: Buffer }> {
  const frames = [];
  let rest = data;
  while (rest.length >= 2) {
    let length = rest[1]! & 0x7f;
    let offset = 2;
    if (length === 126) [length, offset] = [rest.readUInt16BE(2), 4];
    else if (length === 127) [length, offset] = [Number(rest.readBigUInt64BE(2)), 10];
    const masked = (rest[1]! & 0x80) !== 0;
    const mask = rest.subarray(offset, offset + 4);
    const payload = Buffer.from(rest.subarray(offset + 4, offset + 4 + length)).map((byte, index) => byte ^ mask[index & 3]!);
    frames.push({ opcode: rest[0]! & 0x0f, masked, payload: Buffer.from(payload) });
    rest = rest.subarray(offset + 4 + length);
  }
  return frames;
}

describe('ControlSocket (the CLI and relay side of the control WebSocket)', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  /** A server that answers the upgrade with `answer(key)` and hands the socket to `then`. */
  async function serve(answer: (key: string) => string, then: (socket: Socket, received: Buffer[]) => void = () => undefined): Promise<number> {
    server = createServer((socket) => {
      let head = '';
      const received: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => {
        if (head.includes('\r\n\r\n')) return void received.push(chunk);
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        const key = /sec-websocket-key: (\S+)/i.exec(head)![1]!;
        socket.write(answer(key));
        then(socket, received);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  }

  const accepted = (key: string, extra = '') =>
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64')}\r\n` +
    `Sec-WebSocket-Protocol: ${PROTOCOL}\r\n${extra}\r\n`;

  it('reassembles fragmented messages of every length encoding however TCP splits them, answers pings, and sends masked frames', async () => {
    const big = 'x'.repeat(70_000);
    const medium = 'y'.repeat(300);
    let serverSide!: { socket: Socket; received: Buffer[] };
    const port = await serve(accepted, (socket, received) => {
      serverSide = { socket, received };
      const bytes = Buffer.concat([
        frame(0x1, Buffer.from('{"a":'), false),
        frame(0x9, Buffer.from('pi')), // a ping between fragments
        frame(0x0, Buffer.from('1}')),
        frame(0x1, Buffer.from(medium)),
        frame(0x1, Buffer.from(big)),
      ]);
      for (let at = 0; at < bytes.length; at += 7_001) socket.write(bytes.subarray(at, at + 7_001));
    });
    const client = new ControlSocket({ port, path: '/control', protocol: PROTOCOL });
    const messages: string[] = [];
    client.on('message', (text) => messages.push(text));
    await once(client, 'open');
    expect(client.state).toBe('open');
    await expect.poll(() => messages.length).toBe(3);
    expect(messages).toEqual(['{"a":1}', medium, big]);

    client.send('héllo');
    await expect.poll(() => clientFrames(Buffer.concat(serverSide.received)).length).toBe(2);
    const [pong, text] = clientFrames(Buffer.concat(serverSide.received));
    expect(pong).toEqual({ opcode: 0xa, masked: true, payload: Buffer.from('pi') });
    expect(text).toEqual({ opcode: 0x1, masked: true, payload: Buffer.from('héllo') });

    // The server closes: the client echoes the close and reports the server's code.
    const closed = once(client, 'close');
    const code = Buffer.alloc(2);
    code.writeUInt16BE(4401, 0);
    serverSide.socket.end(frame(0x8, code));
    expect(await closed).toEqual([4401]);
    expect(clientFrames(Buffer.concat(serverSide.received)).at(-1)).toMatchObject({ opcode: 0x8, payload: code });
    expect(client.state).toBe('closed');
  });

  it('reports another status than 101 as an unexpected response', async () => {
    const port = await serve(() => 'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    const client = new ControlSocket({ port, path: '/control', protocol: PROTOCOL });
    const [status] = await once(client, 'unexpected-response');
    expect(status).toBe(403);
    await once(client, 'close');
  });

  it.each([
    ['a wrong Sec-WebSocket-Accept', () => accepted('not-the-key')],
    ['another subprotocol', (key: string) => accepted(key).replace(PROTOCOL, 'localgate.v1')],
    ['an extension the client never offered', (key: string) => accepted(key, 'Sec-WebSocket-Extensions: permessage-deflate\r\n')],
  ])('refuses an upgrade with %s, never opening', async (_case, answer) => {
    const port = await serve(answer);
    const client = new ControlSocket({ port, path: '/control', protocol: PROTOCOL });
    let opened = false;
    client.on('open', () => (opened = true));
    const [error] = await once(client, 'error');
    expect((error as Error).message).toMatch(/invalid headers/);
    await once(client, 'close');
    expect(opened).toBe(false);
  });

  it('ends the connection on a masked server frame (a protocol error)', async () => {
    const port = await serve(accepted, (socket) => socket.write(Buffer.from([0x81, 0x81, 1, 2, 3, 4, 5])));
    const client = new ControlSocket({ port, path: '/control', protocol: PROTOCOL });
    const messages: string[] = [];
    client.on('message', (text) => messages.push(text));
    client.on('error', () => undefined);
    // Not events.once: it would reject on the 'error' that comes first.
    expect(await new Promise((resolve) => client.once('close', resolve))).toBe(1002);
    expect(messages).toEqual([]);
  });
});
