import type { FastifyReply } from 'fastify';
import { warningCode, type IrWarning } from '../ir/ir-warning.js';

export const WARNINGS_HEADER = 'x-localgate-warnings';

/** Codes past this many are left out of the header (the monitor entry keeps its own bounded list). */
const MAX_HEADER_CODES = 20;

/**
 * Tells the client what the translation dropped or changed: `x-localgate-warnings: code1,code2`
 * (each code once). Set before the head is written, so a stream carries what was known when it
 * began; warnings added later (while encoding the stream) reach the monitor entry only. No
 * warnings, no header.
 */
export function setWarningsHeader(reply: FastifyReply, warnings: readonly IrWarning[] | undefined): void {
  if (!warnings || warnings.length === 0) return; // every pass-through: nothing to build
  const codes = [...new Set(warnings.map(warningCode))].slice(0, MAX_HEADER_CODES);
  if (codes.length > 0) reply.header(WARNINGS_HEADER, codes.join(','));
}
