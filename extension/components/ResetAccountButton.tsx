/** "Reset": clears an account's rests and an upstream's disabling (accounts.reset), in the popup and on the options page. */
export function ResetAccountButton({ busy, onReset }: { busy: boolean; onReset(): void }) {
  return (
    <button
      type="button"
      class="secondary small"
      data-testid="account-reset"
      title="Clear the cooldown or the upstream's disabling and try this account on the next request"
      disabled={busy}
      onClick={onReset}
    >
      Reset
    </button>
  );
}
