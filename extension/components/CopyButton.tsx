import { useEffect, useState } from 'preact/hooks';
import { t } from '../utils/i18n';

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** A "Copy" button that says "Copied" (or "Copy failed") for a moment. */
export function CopyButton({ text, id, label = t('copy') }: { text: string; id?: string; label?: string }) {
  const [feedback, setFeedback] = useState<string | null>(null);
  useEffect(() => {
    if (!feedback) return;
    const timer = setTimeout(() => setFeedback(null), 1500);
    return () => clearTimeout(timer);
  }, [feedback]);
  return (
    <button
      type="button"
      id={id}
      class="secondary small"
      disabled={!text}
      onClick={async () => setFeedback((await copyText(text)) ? t('copied') : t('copyFailed'))}
    >
      {feedback ?? label}
    </button>
  );
}
