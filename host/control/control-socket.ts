import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';

/** RFC 6455's constant for Sec-WebSocket-Accept. */
const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** More than any control message (the daemon's own limit is lower); a bigger one is refused, not buffered. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** A response head longer than this is not the daemon's. */
const MAX_HEAD_BYTES = 16 * 1024;

const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export type ControlSocketState = 'connecting' | 'open' | 'closing' | 'closed';

export interface ControlSocketEvents {
  open: [];
  /** A whole text (or binary) message, as UTF-8 text. */
  message: [text: string];
  /** The server answered the upgrade with another status (403: a refused Origin). */
  'unexpected-response': [status: number];
  error: [error: Error];
  /** Always last: the code of the server's close frame, or 1006 when the connection just ended. */
  close: [code: number];
}

/**
 * The WebSocket client of the CLI and the native relay, for the daemon's control server on
 * 127.0.0.1. Why not ws: its client loads http, https, tls and zlib at import, a tenth of
 * `localgate status` (and of every relay start). This speaks what the control channel uses and no
 * more: one subprotocol, no extensions (none are offered, so the server sends plain frames), text
 * messages (fragmented or not) in, masked text frames out, ping, close. The upgrade is checked as
 * RFC 6455 asks (101, Sec-WebSocket-Accept, the protocol we offered); any protocol error ends the
 * connection.
 */
export class ControlSocket extends EventEmitter<ControlSocketEvents> {
  #state: ControlSocketState = 'connecting';
  readonly #socket: Socket;
  readonly #key = randomBytes(16).toString('base64');
  readonly #protocol: string;
  #head: Buffer | undefined = Buffer.alloc(0);
  #pending: Buffer = Buffer.alloc(0);
  #fragments: Buffer[] = [];
  #fragmentBytes = 0;
  #closeCode = 1006;

  constructor(options: { port: number; path: string; protocol: string }) {
    super();
    this.#protocol = options.protocol;
    this.#socket = connect({ host: '127.0.0.1', port: options.port, noDelay: true });
    this.#socket.once('connect', () =>
      this.#socket.write(
        `GET ${options.path} HTTP/1.1\r\nHost: 127.0.0.1:${options.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${this.#key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${options.protocol}\r\n\r\n`,
      ),
    );
    this.#socket.on('data', (chunk: Buffer) => (this.#head ? this.#readHead(chunk) : this.#readFrames(chunk)));
    this.#socket.on('error', (error) => this.listenerCount('error') > 0 && this.emit('error', error));
    this.#socket.once('close', () => {
      this.#state = 'closed';
      this.emit('close', this.#closeCode);
    });
  }

  get state(): ControlSocketState {
    return this.#state;
  }

  /** Sends one text message (dropped unless open, as a message to a closing socket would be). */
  send(text: string): void {
    if (this.#state === 'open') this.#writeFrame(OPCODE.text, Buffer.from(text, 'utf8'));
  }

  /** Starts the closing handshake; 'close' follows once the server answers and the connection ends. */
  close(code = 1000): void {
    if (this.#state === 'connecting') return this.terminate();
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code, 0);
    this.#writeFrame(OPCODE.close, payload);
  }

  /** Ends the connection at once. */
  terminate(): void {
    this.#socket.destroy();
  }

  #readHead(chunk: Buffer): void {
    const head = Buffer.concat([this.#head!, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) {
      if (head.length > MAX_HEAD_BYTES) this.#fail(new Error('The control server sent an oversized response head'));
      else this.#head = head;
      return;
    }
    this.#head = undefined;
    const [statusLine = '', ...lines] = head.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
    if (status !== 101) {
      if (this.listenerCount('unexpected-response') > 0) this.emit('unexpected-response', status);
      else this.#fail(new Error(`Unexpected server response: ${status}`));
      return this.terminate();
    }
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const accept = createHash('sha1').update(this.#key + ACCEPT_GUID).digest('base64');
    if (
      headers.get('upgrade')?.toLowerCase() !== 'websocket' ||
      !/\bupgrade\b/i.test(headers.get('connection') ?? '') ||
      headers.get('sec-websocket-accept') !== accept ||
      headers.get('sec-websocket-protocol') !== this.#protocol ||
      headers.has('sec-websocket-extensions')
    ) {
      return this.#fail(new Error('The control server answered the upgrade with invalid headers'));
    }
    this.#state = 'open';
    this.emit('open');
    const rest = head.subarray(end + 4);
    if (rest.length > 0) this.#readFrames(rest);
  }

  #readFrames(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    while (this.#pending.length >= 2 && this.#state !== 'closed') {
      const first = this.#pending[0]!;
      const second = this.#pending[1]!;
      const fin = (first & 0x80) !== 0;
      const opcode = first & 0x0f;
      // Reserved bits belong to extensions (none agreed); a server never masks.
      if ((first & 0x70) !== 0 || (second & 0x80) !== 0) return this.#protocolError('invalid frame header');
      let length = second & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.#pending.length < 4) return;
        length = this.#pending.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.#pending.length < 10) return;
        const big = this.#pending.readBigUInt64BE(2);
        if (big > BigInt(MAX_MESSAGE_BYTES)) return this.#protocolError('message too large', 1009);
        length = Number(big);
        offset = 10;
      }
      if (length > MAX_MESSAGE_BYTES) return this.#protocolError('message too large', 1009);
      if (this.#pending.length < offset + length) return;
      const payload = this.#pending.subarray(offset, offset + length);
      this.#pending = this.#pending.subarray(offset + length);
      this.#readFrame(fin, opcode, payload);
    }
  }

  #readFrame(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode >= OPCODE.close) {
      if (!fin || payload.length > 125) return this.#protocolError('invalid control frame');
      if (opcode === OPCODE.ping) return this.#writeFrame(OPCODE.pong, payload);
      if (opcode === OPCODE.pong) return;
      if (opcode !== OPCODE.close) return this.#protocolError('unknown opcode');
      this.#closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      // Echo the close (unless we started it), then let the server end the TCP connection.
      if (this.#state === 'open') this.#writeFrame(OPCODE.close, payload.subarray(0, 2));
      this.#state = 'closing';
      this.#socket.end();
      return;
    }
    const starts = opcode === OPCODE.text || opcode === OPCODE.binary;
    if (starts ? this.#fragments.length > 0 : opcode !== OPCODE.continuation || this.#fragments.length === 0) {
      return this.#protocolError('unexpected frame');
    }
    this.#fragmentBytes += payload.length;
    if (this.#fragmentBytes > MAX_MESSAGE_BYTES) return this.#protocolError('message too large', 1009);
    this.#fragments.push(payload);
    if (!fin) return;
    const message = this.#fragments.length === 1 ? this.#fragments[0]! : Buffer.concat(this.#fragments);
    this.#fragments = [];
    this.#fragmentBytes = 0;
    if (this.#state === 'open') this.emit('message', message.toString('utf8'));
  }

  /** One frame, masked with a fresh key as a client must. */
  #writeFrame(opcode: number, payload: Buffer): void {
    const length = payload.length;
    const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
    const frame = Buffer.allocUnsafe(2 + lengthBytes + 4 + length);
    frame[0] = 0x80 | opcode;
    frame[1] = 0x80 | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
    if (lengthBytes === 2) frame.writeUInt16BE(length, 2);
    else if (lengthBytes === 8) frame.writeBigUInt64BE(BigInt(length), 2);
    const maskAt = 2 + lengthBytes;
    randomBytes(4).copy(frame, maskAt);
    for (let index = 0; index < length; index++) frame[maskAt + 4 + index] = payload[index]! ^ frame[maskAt + (index & 3)]!;
    this.#socket.write(frame);
  }

  #protocolError(reason: string, code = 1002): void {
    this.#closeCode = code;
    this.#fail(new Error(`The control server broke the WebSocket protocol: ${reason}`));
  }

  #fail(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
    this.terminate();
  }
}
