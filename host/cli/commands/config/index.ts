import { Command } from 'commander';

// Definitions only: each action imports its module when it runs (see ../../program.ts).

export function configCommand(): Command {
  return new Command('config')
    .description('Show or change the proxy settings (through the daemon when it runs, else in config.json).')
    .addCommand(configGetCommand())
    .addCommand(configSetCommand());
}

function configGetCommand(): Command {
  return new Command('get')
    .description('Show the proxy settings (api_key masked unless --reveal).')
    .option('--json', 'print JSON')
    .option('--reveal', 'show the proxy api_key in full')
    .action(async (options: { json?: boolean; reveal?: boolean }) => (await import('../../actions/config/get.js')).runConfigGet(options));
}

function configSetCommand(): Command {
  return new Command('set')
    .description('Change proxy settings: one or more key=value pairs, applied together or not at all.')
    .argument('<pairs...>', 'key=value pairs')
    .addHelpText(
      'after',
      `
Keys: port (1024-65535), allow_lan_access (true|false), auth_mode (off|strict|all_except_health|auto),
      api_key (sk-…, at least 10 characters), request_timeout_s (1-3600; seconds to the first byte),
      connect_timeout_s (1-300), stream_idle_timeout_s (1-3600; longest quiet gap in an answer),
      max_attempts (1-10; accounts tried per request), max_concurrent_requests (1-100000),
      log_retention_days (0-365; days of request log files kept, today included; 0 = none),
      monitor_capture_bodies (true|false), monitor_body_limit_bytes (1-1048576), max_body_mb (1-512; largest request body, next proxy start),
      scheduling (round_robin|sticky|fill_first), preferred_account (an account id tried first; empty = none),
      signature_cache_size (0-1000000; tool calls whose signatures are remembered in memory),
      responses_store_size (0-100000; Responses answers kept in memory for previous_response_id; 0 = none),
      responses_store_ttl_seconds (60-604800; how long a kept answer can be followed up),
      model_mapping.PATTERN=MODEL (PATTERN is everything up to the first "=", dots and * included).
      model_mapping.PATTERN= (empty MODEL) deletes that mapping.
      default_max_tokens.PATTERN=TOKENS sets the output limit sent to Anthropic upstreams when a client sets none.
      cors_allowed_origins=https://a.example,https://b.example and allowed_hosts=a,b take comma-separated lists.
If any pair is invalid, nothing is saved. With a daemon running, the change applies live
(a new port or LAN setting re-binds a running proxy).

Example:
  localgate config set port=9000 auth_mode=strict 'model_mapping.claude-*=gpt-4o-mini'`,
    )
    .action(async (pairs: string[]) => (await import('../../actions/config/set.js')).runConfigSet(pairs));
}
