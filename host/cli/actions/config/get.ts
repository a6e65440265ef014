import { maskSecret } from '../../../../shared/api-key.js';
import type { ConfigView } from '../../../service/localgate-service.types.js';
import { resolveDataDir } from '../../../store/data-dir.js';
import { printJson, printLine } from '../../output.js';
import { withSettings } from '../../settings-target.js';

export async function runConfigGet(options: { json?: boolean; reveal?: boolean }): Promise<void> {
  const config = displayConfig(await withSettings(resolveDataDir(), (target) => target.configView()), options.reveal ?? false);
  if (options.json) {
    printJson(config);
    return;
  }
  const mappings = Object.entries(config.model_mapping).map(([pattern, model]) => `${pattern} -> ${model}`);
  const rows: [string, string][] = [
    ['port', String(config.port)],
    ['allow_lan_access', String(config.allow_lan_access)],
    ['auth_mode', config.auth_mode],
    ['api_key', config.api_key],
    ['request_timeout_s', String(config.request_timeout_s)],
    ['log_retention_days', String(config.log_retention_days)],
    ['monitor_capture_bodies', String(config.monitor_capture_bodies)],
    ['monitor_body_limit_bytes', String(config.monitor_body_limit_bytes)],
    ['scheduling', config.scheduling ?? 'round_robin'],
    ['preferred_account', config.preferred_account ?? '(none)'],
    ['model_mapping', mappings[0] ?? '(none)'],
    ...mappings.slice(1).map((line): [string, string] => ['', line]),
  ];
  printLine(rows.map(([key, value]) => `${key.padEnd(24)} ${value}`.trimEnd()).join('\n'));
}

/** The config as shown to a person: the proxy key masked unless asked for. */
function displayConfig(config: ConfigView, reveal: boolean): ConfigView {
  return reveal ? config : { ...config, api_key: maskSecret(config.api_key) };
}
