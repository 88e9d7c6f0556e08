import { ConfigError, type PlatformConfig } from '../config.js';
import { ensureDevSecrets } from '../dev-secrets.js';
import { loadConfig } from '../main.js';
import { type CliIo, EXIT, UsageError } from './cli-io.js';
import { commandHelp, commandList, findCommand, usageOf } from './command-table.js';

export const HELP = `mycard — My Card, the self-hostable membership-card platform

Usage: mycard <command> [options]

Commands:
${commandList()}
  help, --help                this text

The whole system (platform + the Demo Mart reference merchant) starts with \`npm start\` (@mycard/stack).
Configuration comes from MYCARD_* environment variables (docs/configuration.md), e.g.
MYCARD_PORT (3000), MYCARD_PUBLIC_URL, MYCARD_DATA_DIR (./data), MYCARD_DATABASE_URL, MYCARD_IDENTITY.
Exit codes: 0 success, 1 failure (including bad configuration), 2 invalid usage or input.
`;

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  ...(process.stdin.isTTY && process.stdout.isTTY
    ? { askHidden: async (q: string) => (await import('./ask-hidden.js')).askHidden(q) }
    : {}),
};

/**
 * Runs one CLI command; resolves with the process exit code. Tests call it in process with their
 * own `io`; `bin/mycard.js` calls it with the process's.
 */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [word] = argv;
  if (word === undefined || word === 'help' || word === '--help' || word === '-h') {
    io.stdout(HELP);
    return word === undefined ? EXIT.usage : EXIT.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    const usage = usageOf(word);
    io.stderr(`mycard: ${usage ?? `unknown command "${word}" (mycard help lists the commands)`}\n`);
    return EXIT.usage;
  }
  // `mycard <command> --help` answers before any configuration is read or file written.
  if (found.args.includes('--help') || found.args.includes('-h')) {
    io.stdout(commandHelp(found.command));
    return EXIT.ok;
  }
  let config: PlatformConfig;
  try {
    config = loadConfig(io.env, (m) => io.stderr(`mycard: warning: ${m}\n`));
    if (found.command.devSecrets) config = ensureDevSecrets(config, (m) => io.stderr(`mycard: ${m}\n`));
    return await found.command.run(config, io, found.args);
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.stderr(`mycard: ${(err as Error).message}\n`);
      return EXIT.usage;
    }
    if (err instanceof ConfigError) {
      io.stderr(`mycard: configuration error: ${err.message}\n`);
      return EXIT.failure;
    }
    io.stderr(`mycard: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failure;
  }
}

/** node:util parseArgs reports unknown or malformed options with these codes. */
function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
