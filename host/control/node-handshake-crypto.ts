import { createHmac, randomBytes } from 'node:crypto';
import type { HandshakeCrypto } from '../../shared/control/handshake.js';

/** The handshake's primitives from node:crypto: synchronous and cheap (`localgate status` runs a handshake). */
export const nodeHandshakeCrypto = {
  hmacHex: (key: string, message: string): string => createHmac('sha256', key).update(message).digest('hex'),
  randomNonce: (): string => randomBytes(32).toString('hex'),
} satisfies HandshakeCrypto;
