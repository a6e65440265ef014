import { useState } from 'preact/hooks';
import { ERROR_CODES } from '../../../../shared/errors';
import { useBackground } from '../../../components/BackgroundContext';

type Result = { kind: 'ok'; body: string; latency: number } | { kind: 'error'; message: string };

/** Asks the daemon to GET /healthz on the proxy and shows the body and latency. */
export function HealthzCheck() {
  const client = useBackground();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  const check = async () => {
    setBusy(true);
    const reply = await client.request('healthz.check');
    setBusy(false);
    if (!reply.ok) return setResult({ kind: 'error', message: reply.error.message });
    const health = reply.result;
    if (health.ok) return setResult({ kind: 'ok', body: health.body ?? '', latency: health.latency_ms });
    const detail = health.error ?? (health.status !== undefined ? `HTTP ${health.status}` : undefined);
    setResult({ kind: 'error', message: `${ERROR_CODES.HEALTHZ_FAILED.message}${detail ? ` (${detail})` : ''}` });
  };

  return (
    <section class="healthz" aria-label="Health check">
      <button id="check-healthz" type="button" class="secondary" disabled={busy} onClick={check}>
        {busy ? 'Checking…' : 'Check /healthz'}
      </button>
      {result && (
        <p id="healthz-result" class={result.kind === 'ok' ? 'ok' : 'error'} role="status">
          {result.kind === 'ok' ? (
            <>
              <code>{result.body}</code> <span class="muted">{Math.round(result.latency)} ms</span>
            </>
          ) : (
            result.message
          )}
        </p>
      )}
    </section>
  );
}
