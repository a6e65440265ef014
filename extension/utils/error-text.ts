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
