import { pathToFileURL } from 'node:url';
import { envKeys, readEnv } from '@mycard/config';
import type { PlatformApp, PlatformAppOptions } from './app.js';
import {
  ConfigError,
  type PlatformConfig,
  type PlatformConfigInput,
  PlatformConfigSchema,
  resolveConfig,
} from './config.js';
import { onShutdownSignal } from './shutdown-signals.js';

/**
 * The only place that reads the environment: the `MYCARD_*` variables the config schema names
 * (`env` on each key of `PlatformConfigSchema`) → a PlatformConfigInput. The same list is
 * documented in docs/configuration.md (a test keeps the two in step).
 */
export interface EnvVariable {
  /** `MYCARD_BINDING_TTL` */
  name: string;
  /** The config key it sets: `bindingTtl`, `rateLimits.reservePerMinute`. */
  path: string;
}

export const ENV_VARIABLES: readonly EnvVariable[] = envKeys(PlatformConfigSchema).map((k) => ({
  name: k.env,
  path: k.path,
}));

// Variables of the test runner, the browser suite, and the reference merchant (read by its own
// entry point; `mycard start` passes them through) are not the platform's.
const IGNORED_PREFIXES = ['MYCARD_TEST_', 'MYCARD_E2E', 'MYCARD_MERCHANT_', 'MYCARD_PLATFORM_URL'];

/**
 * Builds the config input from `env`. Empty variables count as unset; a malformed number or
 * boolean throws a ConfigError naming the variable (ranges are checked by `resolveConfig`).
 * Unknown `MYCARD_*` variables are returned as warnings with the nearest known name (a typo must
 * not go unnoticed, but the merchant system and other tools share the prefix).
 */
export function configFromEnv(env: NodeJS.ProcessEnv): { input: PlatformConfigInput; warnings: string[] } {
  const { input, warnings } = readEnv(PlatformConfigSchema, env, {
    prefix: 'MYCARD_',
    ignore: IGNORED_PREFIXES,
  });
  return { input: input as PlatformConfigInput, warnings };
}

/** The environment's configuration, resolved and checked; throws ConfigError with a clear message. */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void = () => {},
): PlatformConfig {
  const { input, warnings } = configFromEnv(env);
  for (const w of warnings) warn(w);
  return resolveConfig(input);
}

export interface RunningPlatform {
  platform: PlatformApp;
  url: string;
  /** Resolves once the server has closed (after `close()`). */
  closed: Promise<void>;
  /** Stops accepting connections, lets in-flight requests finish, stops the workers, closes the database. */
  close(): Promise<void>;
}

/**
 * Starts the platform: builds the app and listens on host:port. It does not listen for signals:
 * the process's entry point owns them (`onShutdownSignal`), so a launcher running more than one
 * server decides the order they stop in.
 */
export async function runPlatform(
  config: PlatformConfig,
  options: Pick<PlatformAppOptions, 'logger'> = {},
): Promise<RunningPlatform> {
  // Loaded here, not at the top: the CLI reads configuration without loading the whole server.
  const { createPlatformApp } = await import('./app.js');
  const platform = await createPlatformApp(config, options);
  try {
    await platform.app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await platform.close();
    throw err;
  }
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= platform
      .close()
      .catch((err: unknown) => platform.app.log.error({ err }, 'error while closing'))
      .finally(resolveClosed);
    return closing;
  };
  return { platform, url: config.publicUrl, closed, close };
}

// `node apps/platform/dist/main.js` (or, in development, `tsx --conditions=@mycard/source
// apps/platform/src/main.ts`) runs the platform alone; `mycard platform` is the usual way.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const running = await runPlatform(loadConfig(process.env, (m) => console.warn(`mycard: ${m}`)));
    onShutdownSignal(() => running.close());
    await running.closed;
  } catch (err) {
    console.error(
      `mycard: ${err instanceof ConfigError ? `configuration error: ${err.message}` : String(err)}`,
    );
    process.exit(1);
  }
}
