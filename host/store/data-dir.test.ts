import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalgateError } from '../../shared/errors.js';
import { ensureDataDir, ensurePrivateDir } from './data-dir.js';

describe('ensureDataDir: a data directory only its owner can write', () => {
  let root: string;
  const modeOf = (dir: string) => statSync(dir).mode & 0o777;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'localgate-datadir-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates a missing directory, and the parents it had to create, with mode 0700', () => {
    const dir = path.join(root, 'a', 'b', 'home');
    expect(ensureDataDir(dir)).toBe(dir);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(path.join(root, 'a'))).toBe(0o700);
    expect(modeOf(path.join(root, 'a', 'b'))).toBe(0o700);
  });

  it('uses an existing 0755 directory as it is: the mode is the user\'s', () => {
    const dir = path.join(root, 'home');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    ensureDataDir(dir);
    expect(modeOf(dir)).toBe(0o755);
  });

  it.each([0o777, 0o775, 0o757])('refuses an existing directory with mode %o, naming the path and the fix', (mode) => {
    const dir = path.join(root, "it's home");
    mkdirSync(dir);
    chmodSync(dir, mode);
    let thrown: unknown;
    try {
      ensureDataDir(dir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LocalgateError);
    expect((thrown as LocalgateError).code).toBe('UNSAFE_PATH');
    expect((thrown as LocalgateError).message).toContain(`Refusing to use ${dir}: other users can write to it (mode ${mode.toString(8)})`);
    expect((thrown as LocalgateError).message).toContain(`chmod go-w '${root}/it'\\''s home'`);
    expect(modeOf(dir)).toBe(mode);
  });

  it('checks subdirectories the same way (logs/, native-host/)', () => {
    const logs = path.join(root, 'logs');
    mkdirSync(logs);
    chmodSync(logs, 0o770);
    expect(() => ensurePrivateDir(logs)).toThrow(`chmod go-w '${logs}'`);
  });

  it('leaves modes to ACLs on Windows', () => {
    const dir = path.join(root, 'home');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(() => ensurePrivateDir(dir, 'win32')).not.toThrow();
  });
});
