import { envVariableFor } from '../config/env-overrides.ts';

export const usage = `Usage: wechat-bridge <command> [options]

Commands:
  generate-config                      Print a complete, commented example config with fresh tokens
  generate-registration --config FILE  Print the appservice registration for the homeserver
  validate-config --config FILE        Check a config file and print a one-line summary
  start --config FILE                  Run the bridge in the foreground until SIGINT or SIGTERM
  help                                 Show this help

Options:
  -c, --config FILE  The config file (YAML)
  -h, --help         Show this help

Secrets: any text setting can be read from a file (<key>_file: /run/secrets/...) or from an environment
variable named after its path (${envVariableFor(['appservice', 'hs_token'])}); the variable wins over the file,
the file over the value in the config.

Examples:
  wechat-bridge generate-config > config.yaml
  wechat-bridge validate-config --config config.yaml
  wechat-bridge generate-registration --config config.yaml > registration.yaml
  wechat-bridge start --config config.yaml
`;
