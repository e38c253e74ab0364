import { WechatError } from '../errors/wechat-error.ts';
import { WechatProviderLoadError } from '../errors/wechat-errors.ts';
import type { ProviderV1 } from '../provider/v1/provider-v1.ts';
import { asProviderV1 } from './validate-provider.ts';

export interface LoadProviderOptions {
  /**
   * How to import the module. Defaults to a dynamic `import()` resolved from this package's location; hosts
   * pass their own so that resolution starts from the application (e.g. `(name) => import(name)` written in
   * the app, or a `createRequire`-based resolver).
   */
  readonly importModule?: (moduleName: string) => Promise<unknown>;
}

/**
 * Loads a provider published on npm by its package name. The package must export the provider as `provider`
 * (first-party packages also export it under a descriptive name). There is no allowlist.
 */
export async function loadProvider(moduleName: string, options: LoadProviderOptions = {}): Promise<ProviderV1> {
  const importModule = options.importModule ?? ((name: string) => import(name));
  let loaded: unknown;
  try {
    loaded = await importModule(moduleName);
  } catch (error) {
    const notInstalled = isModuleNotFound(error, moduleName);
    throw new WechatProviderLoadError({
      moduleName,
      cause: error,
      message: notInstalled
        ? `Provider package '${moduleName}' is not installed. Install it next to the bridge (for example \`pnpm add ${moduleName}\` or \`npm install ${moduleName}\`) and start again.`
        : `Provider package '${moduleName}' failed to load: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  const exported = (loaded as { provider?: unknown } | null)?.provider;
  if (exported === undefined) {
    throw new WechatProviderLoadError({
      moduleName,
      message: `Package '${moduleName}' does not export a \`provider\`. A provider package must \`export const provider = defineProvider({...})\`.`,
    });
  }
  try {
    return asProviderV1(exported);
  } catch (error) {
    if (!WechatError.isInstance(error)) throw error;
    throw new WechatProviderLoadError({ moduleName, cause: error, message: `Package '${moduleName}': ${error.message}` });
  }
}

function isModuleNotFound(error: unknown, moduleName: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // A provider that is installed but misses one of *its* dependencies is a different problem.
  return error instanceof Error && error.message.includes(`'${moduleName}'`);
}
