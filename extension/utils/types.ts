import type { z } from 'zod';
import type { ConfigViewSchema, HealthzResultSchema } from '../../shared/control/messages';

export type ConfigView = z.infer<typeof ConfigViewSchema>;
export type HealthzResult = z.infer<typeof HealthzResultSchema>;
