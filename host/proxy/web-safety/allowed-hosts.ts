import { hostname, networkInterfaces } from 'node:os';
import type { ProxyConfig } from '../../../shared/config.js';

/** `example.com:8045` → `example.com`; `[::1]:8045` → `::1`. */
export function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

export function isLoopbackHost(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

let machineNames: { at: number; names: Set<string> } | undefined;

/** This machine's own addresses and names, refreshed every 30 s (interfaces come and go). */
function ownNames(): Set<string> {
  const now = Date.now();
  if (machineNames && now - machineNames.at < 30_000) return machineNames.names;
  const names = new Set<string>();
  const name = hostname().toLowerCase();
  names.add(name);
  names.add(`${name}.local`);
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) names.add(address.address.toLowerCase().replace(/%.*$/, ''));
  }
  machineNames = { at: now, names };
  return names;
}

/**
 * Whether a request's Host header names this proxy. A browser page that rebinds its own DNS name
 * to 127.0.0.1 still sends its own name as Host, so answering only loopback names (and, with LAN
 * access on, this machine's addresses and the configured names) defeats DNS rebinding. A request
 * with no Host at all comes from no browser and passes.
 */
export function isAllowedHost(hostHeader: string | undefined, config: Pick<ProxyConfig, 'allow_lan_access' | 'allowed_hosts'>): boolean {
  if (!hostHeader) return true;
  const name = hostWithoutPort(hostHeader);
  if (isLoopbackHost(name)) return true;
  if (!config.allow_lan_access) return false;
  return config.allowed_hosts.some((allowed) => allowed.toLowerCase() === name) || ownNames().has(name);
}
