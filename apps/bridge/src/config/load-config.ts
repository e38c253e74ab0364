import { type ProviderRegistry, parseConfig } from '@wechat/provider-api';
import { type AppConfig, appConfigSchema } from './app-config-schema.ts';
import { ConfigFileError } from './config-file-error.ts';
import { describeConfigKeys } from './config-key-tree.ts';
import { parseConfigYaml } from './parse-config-yaml.ts';
import { type ProviderSections, registerProviderModules, validateProviderSections } from './provider-sections.ts';
import { resolveSecrets, type SecretSources } from './resolve-secrets.ts';

export interface LoadConfigOptions extends SecretSources {
  /** The providers this bridge can run; each enabled `providers.<id>` section is validated by its schema. */
  readonly providers: ProviderRegistry;
  /** Imports provider packages named by `providers.<id>.module`, resolved from the application. */
  readonly importModule?: (moduleName: string) => Promise<unknown>;
}

export interface LoadedConfig {
  readonly config: AppConfig;
  readonly providers: ProviderSections;
}

/**
 * Reads, parses and validates a config file. Throws `ConfigFileError` (unreadable file, YAML syntax) or
 * `WechatConfigValidationError` (secrets that cannot be resolved, invalid settings), both naming what is wrong.
 */
export async function loadConfigFile(file: string, options: LoadConfigOptions): Promise<LoadedConfig> {
  const text = await options.readFile(file).catch((error: unknown) => {
    throw new ConfigFileError(file, [
      `${file}: cannot read the config file: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  });
  return validateConfigDocument(parseConfigYaml(text, file), options);
}

/** Validates an already parsed config document: secrets first, then the schema, then the provider sections. */
export async function validateConfigDocument(document: unknown, options: LoadConfigOptions): Promise<LoadedConfig> {
  const resolved = await resolveSecrets(document, describeConfigKeys(appConfigSchema), options);
  const config = parseConfig(appConfigSchema, resolved);
  if (options.importModule) await registerProviderModules(config.providers, options.providers, options.importModule);
  return { config, providers: validateProviderSections(config.providers, options.providers) };
}
