import type { BrowserContext } from 'playwright-core';

export const REPO_ROOT: string;
export const EXTENSION_DIR: string;
export function findChromium(): string | undefined;
export function launchWithExtension(executablePath: string, userDataDir: string, env: NodeJS.ProcessEnv, extraArgs?: string[]): Promise<BrowserContext>;
