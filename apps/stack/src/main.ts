import { configFromEnv, ConfigError as MerchantConfigError } from '@mycard/merchant-app';
import {
  ConfigError,
  ensureWebAppBuilt,
  loadConfig,
  onShutdownSignal,
  type PlatformConfig,
} from '@mycard/platform';
import { formatBanner } from './banner.js';
import { openLogFiles } from './log-files.js';
import { startStack } from './start-stack.js';

export const HELP = `mycard-stack — the whole My Card system on one machine (\`npm start\`)

Usage: mycard-stack

Starts the platform (My Card Server) and the reference merchant (Demo Mart) linked to it, on SQLite in
MYCARD_DATA_DIR (./data) unless a database URL is set, and prints where to open each part. On the first
start it registers the Demo Mart program; in development mode it also creates demo logins.
SIGINT/SIGTERM stop the merchant first, then the platform, each finishing its in-flight requests.

Configuration: the platform's MYCARD_* variables (docs/configuration.md) and the merchant's
MYCARD_MERCHANT_* variables (docs/merchant.md). The platform alone is \`mycard platform\`.
`;

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Where the launcher writes and what it reads; tests pass their own. */
export interface StackIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo: StackIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
};

/**
 * The launcher's entry point (the only place it reads the environment and listens for signals):
 * builds the web apps when stale, starts the stack, prints the banner, and on the first SIGINT or
 * SIGTERM stops the merchant, then the platform. Resolves with the exit code once both stopped.
 */
export async function main(argv: string[], io: StackIo = defaultIo): Promise<number> {
  if (argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    io.stdout(HELP);
    return 0;
  }
  if (argv.length) {
    io.stderr(`mycard-stack: unexpected argument "${argv[0]}" (mycard-stack --help)\n`);
    return 2;
  }
  const log = (line: string) => io.stdout(`${line}\n`);
  const warn = (m: string) => io.stderr(`mycard-stack: warning: ${m}\n`);
  let config: PlatformConfig;
  let merchantInput: ReturnType<typeof configFromEnv>;
  try {
    config = loadConfig(io.env, warn);
    merchantInput = configFromEnv(io.env, warn);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof MerchantConfigError) {
      io.stderr(`mycard-stack: configuration error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  try {
    for (const app of ['wallet', 'console'] as const) ensureWebAppBuilt(app, log);
    const logFiles = openLogFiles(config.dataDir, (line) => io.stderr(`${line}\n`));
    const stack = await startStack({ platform: config, merchant: merchantInput, log, logFiles });
    onShutdownSignal((signal) => {
      log(`${signal}: shutting down`);
      return stack.close();
    });
    log(formatBanner(stack));
    await stack.closed;
    return 0;
  } catch (err) {
    const prefix = err instanceof MerchantConfigError ? 'configuration error: ' : '';
    io.stderr(`mycard-stack: ${prefix}${describe(err)}\n`);
    return 1;
  }
}
