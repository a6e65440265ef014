// Types for bench/wrk-load.js, for the test that reads real wrk reports with it.
export interface WrkResult {
  elapsedMs: number;
  requests: number;
  errors: number;
  lastError?: string;
  p50Ms: number;
  p99Ms: number;
}
export function wrkAvailable(): boolean;
export function runWrk(options: {
  origin: string;
  path: string;
  headers?: Record<string, string>;
  body: string;
  connections: number;
  seconds: number;
  pinCpu?: number;
}): Promise<WrkResult>;
export function parseWrk(output: string, seconds: number): WrkResult;
