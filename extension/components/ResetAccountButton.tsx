import { t } from '../utils/i18n';

/** "Reset": clears an account's rests and an upstream's disabling (accounts.reset), in the popup and on the options page. */
export function ResetAccountButton({ busy, onReset }: { busy: boolean; onReset(): void }) {
  return (
    <button
      type="button"
      class="secondary small"
      data-testid="account-reset"
      title={t('resetAccountHint')}
      disabled={busy}
      onClick={onReset}
    >
      {t('resetAccount')}
    </button>
  );
}
