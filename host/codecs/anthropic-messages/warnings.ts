import type { IrWarning } from '../../ir/ir-warning.js';

/** Adds a warning unless the same one is already there (one per feature, not one per block). */
export function addWarning(warnings: IrWarning[], warning: IrWarning): void {
  if (warnings.some((w) => w.type === warning.type && w.feature === warning.feature && w.details === warning.details)) return;
  warnings.push(warning);
}
