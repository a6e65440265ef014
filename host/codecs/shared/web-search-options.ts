import type { IrWebSearchTool } from '../../ir/ir-request.js';

/**
 * The web search options Responses and Anthropic spell alike: an approximate user location
 * (`{type: 'approximate', city, region, country, timezone}`) and domain lists.
 */
export function decodeSearchUserLocation(value: unknown): IrWebSearchTool['userLocation'] {
  if (typeof value !== 'object' || value === null) return undefined;
  const wire = value as Record<string, unknown>;
  const location: NonNullable<IrWebSearchTool['userLocation']> = {};
  for (const key of ['city', 'region', 'country', 'timezone'] as const) {
    const field = wire[key];
    if (typeof field === 'string' && field !== '') location[key] = field;
  }
  return Object.keys(location).length > 0 ? location : undefined;
}

/** A non-empty list of domain names, else undefined. */
export function decodeDomainList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === 'string') ? (value as string[]) : undefined;
}
