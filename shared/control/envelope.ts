import * as z from 'zod';
import { ERROR_CODE_LIST } from '../errors.js';

/** A request from a client (CLI, native relay, extension) to the daemon. */
export const ControlRequestSchema = z.object({
  id: z.string().min(1).max(100),
  type: z.string().min(1).max(100),
  payload: z.unknown().optional(),
});
export type ControlRequest = z.infer<typeof ControlRequestSchema>;

export const ControlErrorSchema = z.object({ code: z.enum(ERROR_CODE_LIST), message: z.string() });

export const ControlReplySchema = z.union([
  z.object({ id: z.string(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.string(), ok: z.literal(false), error: ControlErrorSchema }),
]);
export type ControlReply = z.infer<typeof ControlReplySchema>;

/** A message the daemon pushes without being asked (no id). */
export const ControlEventSchema = z.object({
  event: z.string().min(1),
  data: z.unknown(),
});
export type ControlEvent = z.infer<typeof ControlEventSchema>;

/** Anything that travels daemon → client. */
export const ControlInboundSchema = z.union([ControlReplySchema, ControlEventSchema]);
