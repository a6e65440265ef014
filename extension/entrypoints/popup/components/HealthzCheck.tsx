import { useState } from 'preact/hooks';
import { useBackground } from '../../../components/BackgroundContext';
import { errorText } from '../../../utils/error-text';
import { formatClock, formatLatency } from '../../../utils/format';
import { t } from '../../../utils/i18n';

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
    if (!reply.ok) return setResult({ kind: 'error', message: errorText(reply.error), at });
    const health = reply.result;
    if (health.ok) return setResult({ kind: 'ok', body: health.body ?? '', latency: health.latency_ms, at });
    const detail = health.error ?? (health.status !== undefined ? `HTTP ${health.status}` : undefined);
    const failed = errorText({ code: 'HEALTHZ_FAILED' });
    setResult({ kind: 'error', message: detail ? t('withDetail', { text: failed, detail }) : failed, at });
  };

  return (
    <section class="healthz" aria-label={t('healthCheck')}>
      <button id="check-healthz" type="button" class="secondary" disabled={busy} onClick={check}>
        {busy ? t('checking') : t('checkHealthz')}
      </button>
      {result && (
        <p id="healthz-result" class={result.kind === 'ok' ? 'ok' : 'error'} role="status">
          {result.kind === 'ok' ? (
            <>
              <code>{result.body}</code> <span class="muted">{formatLatency(result.latency)} · {formatClock(result.at)}</span>
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
