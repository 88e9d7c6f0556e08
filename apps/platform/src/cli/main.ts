import { ConfigError, type PlatformConfig } from '../config.js';
import { ensureDevSecrets } from '../dev-secrets.js';
import { loadConfig } from '../main.js';
import { type CliIo, EXIT, UsageError } from './cli-io.js';

export const HELP = `mycard — My Card, the self-hostable membership-card platform

Usage: mycard <command> [options]

Commands:
  start                       run the whole system (platform + the Demo Mart merchant) and print the URLs
  platform                    run the platform (My Card Server) alone
  migrate [--json]            bring the database to the newest schema
  keys rotate [--json]        new signing key; the previous one stays published until its tokens expired
  program create              register a program and print its credentials
      --name N --binding-url U --code-type T [--webhook-url W] [--live]
      [--tester USERID]... [--operator EMAIL] [--json]
  operator create             create a console operator account
      --email E --password P --name N [--json]
  help, --help                this text

Configuration comes from MYCARD_* environment variables (docs/configuration.md), e.g.
MYCARD_PORT (3000), MYCARD_PUBLIC_URL, MYCARD_DATA_DIR (./data), MYCARD_DATABASE_URL, MYCARD_IDENTITY.
Exit codes: 0 success, 1 failure (including bad configuration), 2 invalid usage or input.
`;

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
};

/**
 * Runs one CLI command; resolves with the process exit code. Commands are imported when chosen, so
 * `mycard help` and configuration errors answer without loading the server.
 */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.stdout(HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  let config: PlatformConfig;
  try {
    config = loadConfig(io.env, (m) => io.stderr(`mycard: warning: ${m}\n`));
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`mycard: configuration error: ${err.message}\n`);
      return EXIT.failure;
    }
    throw err;
  }
  const json = rest.includes('--json');
  try {
    switch (command) {
      case 'start':
        expectNoArgs(rest);
        return await (await import('./commands/start-system.js')).startSystem(config, io);
      case 'platform':
        expectNoArgs(rest);
        return await (await import('./commands/serve.js')).serve(config, io, command);
      case 'migrate':
        expectNoArgs(rest.filter((a) => a !== '--json'));
        return await (await import('./commands/migrate.js')).migrate(config, io, json);
      case 'keys':
        if (rest[0] !== 'rotate') throw new UsageError('usage: mycard keys rotate [--json]');
        expectNoArgs(rest.slice(1).filter((a) => a !== '--json'));
        return await (await import('./commands/keys-rotate.js')).keysRotate(config, io, json);
      case 'program':
        if (rest[0] !== 'create')
          throw new UsageError('usage: mycard program create --name N --binding-url U --code-type T …');
        return await (await import('./commands/program-create.js')).programCreate(
          withDevSecrets(config, io),
          io,
          rest.slice(1),
        );
      case 'operator':
        if (rest[0] !== 'create')
          throw new UsageError('usage: mycard operator create --email E --password P --name N');
        return await (await import('./commands/operator-create.js')).operatorCreate(
          config,
          io,
          rest.slice(1),
        );
      default:
        throw new UsageError(`unknown command "${command}" (mycard help lists the commands)`);
    }
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

function expectNoArgs(args: string[]): void {
  if (args.length) throw new UsageError(`unexpected argument "${args[0]}"`);
}

/** node:util parseArgs reports unknown or malformed options with these codes. */
function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** Development: generate (and say so on stderr) the master key before a command needs it. */
function withDevSecrets(config: PlatformConfig, io: CliIo): PlatformConfig {
  return ensureDevSecrets(config, (m) => io.stderr(`mycard: ${m}\n`));
}
