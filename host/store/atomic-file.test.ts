import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LocalgateError } from '../../shared/errors.js';
import { makeTempHome } from '../../test/helpers/temp-home.js';
import { loadConfig, saveConfig } from './config-store.js';
import { loadAccounts } from './accounts-store.js';
import { ensureControlToken } from './control-token.js';

describe('data files', () => {
  const homes: Array<ReturnType<typeof makeTempHome>> = [];
  afterEach(() => homes.splice(0).forEach((h) => h.cleanup()));
  const home = () => {
    const h = makeTempHome();
    homes.push(h);
    return h.dir;
  };

  it('creates config.json on first run with a generated key, mode 0600, no temp files left', () => {
    const dir = home();
    const config = loadConfig(dir);
    expect(config.api_key).toMatch(/^sk-[A-Za-z0-9]{40}$/);
    const file = path.join(dir, 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(loadConfig(dir)).toEqual(config);
    saveConfig(dir, { ...config, port: 9001 });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(loadConfig(dir).port).toBe(9001);
  });

  it('names the file and line of a JSON syntax error and leaves the file untouched', () => {
    const dir = home();
    const file = path.join(dir, 'config.json');
    const broken = '{\n  "port": 8045,\n  "api_key": "sk-1234567890"\n  "auth_mode": "off"\n}\n';
    writeFileSync(file, broken);
    const error = (() => {
      try {
        loadConfig(dir);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(LocalgateError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/line 4/);
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });

  it('names the offending field and unknown keys of a file that does not validate', () => {
    const dir = home();
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ api_key: 'sk-1234567890', port: 80, colour: 'blue' }));
    expect(() => loadConfig(dir)).toThrow(/config\.json: .*(port|colour)/);
    writeFileSync(path.join(dir, 'accounts.json'), JSON.stringify({ version: 1, accounts: [{ id: 'a', provider: 'nope' }] }));
    expect(() => loadAccounts(dir)).toThrow(/accounts\.json: accounts\.0\.provider/);
  });

  it('creates the control token once, 0600', () => {
    const dir = home();
    const token = ensureControlToken(dir);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(ensureControlToken(dir)).toBe(token);
    expect(statSync(path.join(dir, 'control-token')).mode & 0o777).toBe(0o600);
  });
});
