import { z } from 'zod';
import type { BackgroundMessageType } from '../utils/view-protocol';

/**
 * The payloads of the requests the background answers itself, checked before it acts. Kept out of
 * utils/view-protocol.ts, which the views load first: they need none of zod to send a request.
 */
export const BACKGROUND_MESSAGES = {
  'connection.state': { payload: z.object({}).optional() },
  'connection.retry': { payload: z.object({}).optional() },
  'pairing.set': { payload: z.object({ pairing: z.string().min(1).max(2000) }) },
  'pairing.clear': { payload: z.object({}).optional() },
} as const satisfies Record<BackgroundMessageType, { payload: z.ZodType }>;

export function isBackgroundMessageType(type: string): type is BackgroundMessageType {
  return Object.hasOwn(BACKGROUND_MESSAGES, type);
}
