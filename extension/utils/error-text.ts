import { CONTROL_WS_PATH } from '../../shared/control/control-websocket';
import { PAIRING_PREFIX, type PairingProblem } from '../../shared/control/pairing';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors';
import { t } from './i18n';

function isErrorCode(code: string | undefined): code is ErrorCode {
  return code !== undefined && Object.hasOwn(ERROR_CODES, code);
}

/**
 * An error from the daemon or the background, in the UI's language. The daemon speaks English
 * (the CLI stays English): its message is either the code's standard message, possibly followed
 * by details (`Invalid configuration: port: …`), which is translated and the details kept, or its
 * own words for a specific case, which are shown as they are.
 */
export function errorText(error: { code?: string; message?: string }): string {
  const { code, message } = error;
  if (!isErrorCode(code)) return message ?? '';
  const standard = ERROR_CODES[code].message;
  if (message === undefined || message.startsWith(standard)) return t(`error_${code}`) + (message?.slice(standard.length) ?? '');
  return message;
}

/** What is wrong with a pasted pairing string, in the UI's language (shared/control/pairing.ts says it in English). */
export function pairingProblemText(problem: PairingProblem): string {
  switch (problem) {
    case 'no-prefix':
      return t('pairingNoPrefix', { prefix: PAIRING_PREFIX });
    case 'no-token':
      return t('pairingNoToken');
    case 'bad-token':
      return t('pairingBadToken');
    case 'bad-url':
      return t('pairingBadUrl');
    case 'not-ws':
      return t('pairingNotWs');
    case 'not-local':
      return t('pairingNotLocal');
    case 'no-port':
      return t('pairingNoPort');
    case 'wrong-path':
      return t('pairingWrongPath', { path: CONTROL_WS_PATH });
    case 'extra-parts':
      return t('pairingExtraParts');
  }
}
