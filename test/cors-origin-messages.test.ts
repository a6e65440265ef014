import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_HANDLERS } from '../host/control/control-handlers.js';
import { CONTROL_MESSAGES } from '../shared/control/messages.js';
import { openService } from './helpers/running-service.js';

const SITE = 'https://chat.example.app';
const context = { requestShutdown: () => {} };

/** The preflight a browser sends before a JSON POST from SITE to a loopback address. */
function preflight(origin: string) {
  return fetch(`${origin}/v1/chat/completions`, {
    method: 'OPTIONS',
    headers: {
      origin: SITE,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
      'access-control-request-private-network': 'true',
    },
  });
}

describe('control messages cors.allowOrigin / cors.removeOrigin (the toolbar\'s "Allow this site")', () => {
  let harness: Awaited<ReturnType<typeof openService>>;

  beforeAll(async () => {
    harness = await openService({ cors_allowed_origins: ['http://localhost:3000'] });
    // A proxy starts only with an account; preflights never reach it.
    harness.service.addAccount({ provider: 'openai', base_url: 'http://127.0.0.1:9/v1', api_key: 'sk-unused' });
    await harness.service.startProxy();
  });
  afterAll(() => harness?.close());

  it('adds the origin to the live list, keeps the others, and the proxy answers its preflight at once', async () => {
    expect((await preflight(harness.origin())).headers.get('access-control-allow-origin')).toBeNull();
    const view = await CONTROL_HANDLERS['cors.allowOrigin'](harness.service, { origin: SITE }, context);
    expect(view.cors_allowed_origins).toEqual(['http://localhost:3000', SITE]);
    expect(harness.service.config().cors_allowed_origins).toEqual(['http://localhost:3000', SITE]);
    const answer = await preflight(harness.origin());
    expect(answer.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(answer.headers.get('access-control-allow-private-network')).toBe('true');
  });

  it('adding an origin already listed changes nothing', async () => {
    const view = await CONTROL_HANDLERS['cors.allowOrigin'](harness.service, { origin: SITE }, context);
    expect(view.cors_allowed_origins).toEqual(['http://localhost:3000', SITE]);
  });

  it('removes only that origin, and the proxy refuses its preflight again', async () => {
    const view = await CONTROL_HANDLERS['cors.removeOrigin'](harness.service, { origin: SITE }, context);
    expect(view.cors_allowed_origins).toEqual(['http://localhost:3000']);
    expect((await preflight(harness.origin())).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('accepts only an origin (no path, no page URL) on the wire', () => {
    const payload = CONTROL_MESSAGES['cors.allowOrigin'].payload;
    expect(payload.safeParse({ origin: SITE }).success).toBe(true);
    expect(payload.safeParse({ origin: `${SITE}/chat` }).success).toBe(false);
    expect(payload.safeParse({ origin: 'not a url' }).success).toBe(false);
  });
});
