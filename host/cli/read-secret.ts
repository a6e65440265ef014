import { LocalgateError } from '../../shared/errors.js';

/**
 * How `accounts add` gets the upstream key without it landing in `ps` or shell history:
 * `--api-key-stdin` reads it from a pipe, and with no key option on a terminal the user is
 * prompted without echo. `--api-key KEY` still works, for scripts that already use it.
 */
export async function resolveApiKey(options: { apiKey?: string; apiKeyStdin?: boolean }, stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (options.apiKey !== undefined && options.apiKeyStdin) {
    throw new LocalgateError('INVALID_ACCOUNT', 'Give the API key one way: --api-key-stdin or --api-key, not both.');
  }
  if (options.apiKey !== undefined) return options.apiKey;
  if (options.apiKeyStdin) return nonEmpty(await readAll(stdin), 'stdin was empty (pipe the key in: echo "$KEY" | localgate accounts add ... --api-key-stdin)');
  if (stdin.isTTY) return nonEmpty(await promptHidden('Upstream API key (not shown): ', stdin), 'no key was typed');
  throw new LocalgateError(
    'INVALID_ACCOUNT',
    'No API key: pipe it in with --api-key-stdin (e.g. printenv OPENAI_API_KEY | localgate accounts add ... --api-key-stdin), or run the command in a terminal to be prompted for it.',
  );
}

/** The key without the line break `echo` or a file adds; an empty one is refused. */
function nonEmpty(raw: string, why: string): string {
  const key = raw.replace(/\r?\n$/, '');
  if (key.trim() === '') throw new LocalgateError('INVALID_ACCOUNT', `No API key: ${why}.`);
  return key;
}

async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACES = new Set(['\u007f', '\b']);

/**
 * Reads one line from the terminal in raw mode, so nothing typed is echoed. The prompt goes to
 * stderr, keeping stdout for the command's result (e.g. --json).
 */
function promptHidden(prompt: string, stdin: NodeJS.ReadStream): Promise<string> {
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onData = (data: string) => {
      for (const char of data) {
        if (char === '\r' || char === '\n' || char === CTRL_D) return finish(() => resolve(typed));
        if (char === CTRL_C) return finish(() => reject(new LocalgateError('INVALID_ACCOUNT', 'Cancelled: no account added.')));
        if (BACKSPACES.has(char)) typed = [...typed].slice(0, -1).join('');
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}
