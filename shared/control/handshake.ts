import * as z from 'zod';

/**
 * The control channel's mutual challenge–response. The per-install control token never travels:
 * each side proves it holds it with an HMAC-SHA256 over fresh nonces from both sides.
 *
 *     client → daemon   {auth: 'hello', nonce: Nc}
 *     daemon → client   {auth: 'challenge', nonce: Nd, proof: HMAC(token, daemon|port|Nc|Nd)}
 *     client → daemon   {auth: 'proof', proof: HMAC(token, client|port|Nc|Nd)}   (only if the daemon's proof checks)
 *     daemon → client   {auth: 'ok'}                                              (or closes with CONTROL_CLOSE_CODES.notPaired)
 *
 * Why it is built this way:
 * - The daemon proves itself first, so a client never sends a request (or a proof) to a stranger
 *   that bound the control port after a daemon restart; the stranger sees one random nonce.
 * - Each side's proof covers a nonce the other side just chose, so no recorded proof can be
 *   replayed; a handshake runs once per connection and its nonces die with it.
 * - The role labels differ, so a daemon's proof (which anyone can ask for) is never a valid client proof.
 * - Both proofs cover the port the client dialed and the daemon listens on: a stranger holding the
 *   advertised port cannot relay the handshake to the real daemon on another port.
 * Shared because the extension (WebCrypto) and the Node clients (node:crypto) run the same client side.
 */

const HEX_256 = /^[0-9a-f]{64}$/;
const Hex256 = z.string().regex(HEX_256);

export const AuthHelloSchema = z.object({ auth: z.literal('hello'), nonce: Hex256 });
export const AuthChallengeSchema = z.object({ auth: z.literal('challenge'), nonce: Hex256, proof: Hex256 });
export const AuthProofSchema = z.object({ auth: z.literal('proof'), proof: Hex256 });
export const AuthAcceptedSchema = z.object({ auth: z.literal('ok') });
export type AuthHello = z.infer<typeof AuthHelloSchema>;
export type AuthChallenge = z.infer<typeof AuthChallengeSchema>;
export type AuthProof = z.infer<typeof AuthProofSchema>;
export type AuthAccepted = z.infer<typeof AuthAcceptedSchema>;

/** WebSocket close codes (private range) the daemon ends a connection with during the handshake. */
export const CONTROL_CLOSE_CODES = {
  /** The client's proof was wrong: it does not hold this install's token. */
  notPaired: 4401,
  /** Something other than the expected handshake step arrived before the client proved itself. */
  handshakeExpected: 4400,
  /** The handshake did not finish in time. */
  handshakeTimeout: 4408,
} as const;

/** The two primitives the handshake needs, from node:crypto in Node and WebCrypto in the browser. */
export interface HandshakeCrypto {
  /** HMAC-SHA256 of `message` keyed by the UTF-8 bytes of `key`, lowercase hex. */
  hmacHex(key: string, message: string): string | Promise<string>;
  /** 32 fresh random bytes, lowercase hex. */
  randomNonce(): string;
}

type Role = 'daemon' | 'client';

/** What each role signs: version, role, port, then the client's nonce and the daemon's. */
export function handshakeTranscript(role: Role, port: number, clientNonce: string, daemonNonce: string): string {
  return `localgate-control-v1|${role}|${port}|${clientNonce}|${daemonNonce}`;
}

/**
 * Compares two proofs without an early exit, so timing does not tell how much of a forged proof
 * was right. Lengths are not secret (every proof is 64 hex characters).
 */
export function proofsMatch(presented: string, expected: string): boolean {
  if (presented.length !== expected.length) return false;
  let difference = 0;
  for (let index = 0; index < expected.length; index++) difference |= presented.charCodeAt(index) ^ expected.charCodeAt(index);
  return difference === 0;
}

/**
 * The client's side of one handshake: the hello to send first, then the answer to the daemon's
 * challenge, which exists only when the daemon proved it holds the token.
 */
export class ClientHandshake {
  readonly hello: AuthHello;
  readonly #token: string;
  readonly #port: number;
  readonly #crypto: HandshakeCrypto;
  #answered = false;

  constructor(options: { token: string; port: number; crypto: HandshakeCrypto }) {
    this.#token = options.token;
    this.#port = options.port;
    this.#crypto = options.crypto;
    this.hello = { auth: 'hello', nonce: options.crypto.randomNonce() };
  }

  /** The proof to send back, or undefined when `raw` is not a challenge proven with our token. Answers once. */
  async answer(raw: unknown): Promise<AuthProof | undefined> {
    if (this.#answered) return undefined;
    this.#answered = true;
    const challenge = AuthChallengeSchema.safeParse(raw);
    if (!challenge.success) return undefined;
    const { nonce, proof } = challenge.data;
    const expected = await this.#crypto.hmacHex(this.#token, handshakeTranscript('daemon', this.#port, this.hello.nonce, nonce));
    if (!proofsMatch(proof, expected)) return undefined;
    return { auth: 'proof', proof: await this.#crypto.hmacHex(this.#token, handshakeTranscript('client', this.#port, this.hello.nonce, nonce)) };
  }
}

/** Whether a message is the daemon's acceptance of our proof. */
export function isAuthAccepted(raw: unknown): boolean {
  return AuthAcceptedSchema.safeParse(raw).success;
}
