import { useState } from 'preact/hooks';
import { ERROR_CODES } from '../../../../shared/errors';
import { useBackground } from '../../../components/BackgroundContext';
import { formatClock } from '../../../utils/format';

type Result = ({ kind: 'ok'; body: string; latency: number } | { kind: 'error'; message: string }) & { at: number };

/** Asks the daemon to GET /healthz on the proxy and shows the body, latency and when it answered. */
export function HealthzCheck() {
  const client = useBackground();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  const check = async () => {
    setBusy(true);
    const reply = await client.request('healthz.check');
    setBusy(false);
    const at = Date.now();
    if (!reply.ok) return setResult({ kind: 'error', message: reply.error.message, at });
    const health = reply.result;
    if (health.ok) return setResult({ kind: 'ok', body: health.body ?? '', latency: health.latency_ms, at });
    const detail = health.error ?? (health.status !== undefined ? `HTTP ${health.status}` : undefined);
    setResult({ kind: 'error', message: `${ERROR_CODES.HEALTHZ_FAILED.message}${detail ? ` (${detail})` : ''}`, at });
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
              <code>{result.body}</code> <span class="muted">{Math.round(result.latency)} ms · {formatClock(result.at)}</span>
            </>
          ) : (
            <>
              {result.message} <span class="muted">{formatClock(result.at)}</span>
            </>
          )}
        </p>
      )}
    </section>
  );
}
