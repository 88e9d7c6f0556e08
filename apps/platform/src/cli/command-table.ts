import type { PlatformConfig } from '../config.js';
import type { CliIo } from './cli-io.js';

/**
 * One `mycard` command. Each lives in its own file under `commands/`, imported only when chosen, so
 * `mycard help` and configuration errors answer without loading the server. A new command is a new
 * file plus one entry in COMMANDS.
 */
export interface CliCommand {
  /** The words that name it: `['migrate']`, `['keys', 'rotate']`. */
  name: readonly string[];
  /** What follows the name in `mycard help`, e.g. `[--json]`. */
  options?: string;
  /** Option lines shown under the name when they do not fit on one line. */
  details?: readonly string[];
  summary: string;
  /** Longer help for `mycard <command> --help`, after the synopsis. */
  help?: string;
  /** Development mode: generate the master key first (the command stores channel secrets). */
  devSecrets?: boolean;
  /** Runs the command with the arguments after its name; resolves with the exit code. */
  run(config: PlatformConfig, io: CliIo, args: string[]): Promise<number>;
}

export const COMMANDS: readonly CliCommand[] = [
  {
    name: ['platform'],
    summary: 'run the platform (My Card Server) and print its URLs',
    run: async (config, io, args) => (await import('./commands/serve.js')).serve(config, io, args),
  },
  {
    name: ['migrate'],
    options: '[--json]',
    summary: 'bring the database to the newest schema',
    run: async (config, io, args) => (await import('./commands/migrate.js')).migrate(config, io, args),
  },
  {
    name: ['keys', 'rotate'],
    options: '[--json]',
    summary: 'new signing key; the previous one stays published until its tokens expired',
    run: async (config, io, args) => (await import('./commands/keys-rotate.js')).keysRotate(config, io, args),
  },
  {
    name: ['program', 'create'],
    details: [
      '--name N --binding-url U --code-type T [--webhook-url W] [--live]',
      '[--tester USERID]... [--operator EMAIL] [--json]',
    ],
    summary: 'register a program and print its credentials',
    devSecrets: true,
    run: async (config, io, args) =>
      (await import('./commands/program-create.js')).programCreate(config, io, args),
  },
  {
    name: ['merchant-check'],
    details: ['--program CHANNEL_ID [--binding-url U] [--tester USERID] [--login-script F] [--json]'],
    summary: "probe a merchant's binding page (sandbox program): forged, expired, edited requests",
    help: [
      "Probes a merchant's binding page the way an attacker and a careless wallet would, on a local or",
      'sandbox platform: the program must be DRAFT, the probes bind as its tester (--tester, default its',
      'first), and the command reads the platform database (the same MYCARD_* configuration as the',
      'running platform) to see whether an Apply was made. --login-script F: an ES module whose default',
      'export signs a member in on the page and submits it (CI). Exit 0 when nothing failed, 1 otherwise.',
    ].join('\n'),
    run: async (config, io, args) =>
      (await import('./commands/merchant-check.js')).merchantCheck(config, io, args),
  },
  {
    name: ['operator', 'create'],
    details: ['--email E --password P --name N [--json]'],
    summary: 'create a console operator account',
    run: async (config, io, args) =>
      (await import('./commands/operator-create.js')).operatorCreate(config, io, args),
  },
  {
    name: ['admin', 'create'],
    details: ['--email E --name N [--json]   (asks for a password on a TTY, else prints a one-time link)'],
    summary: 'create (or promote) a platform administrator',
    run: async (config, io, args) =>
      (await import('./commands/admin-create.js')).adminCreate(config, io, args),
  },
];

/** The command `argv` names (the longest match) and the arguments after its name. */
export function findCommand(argv: readonly string[]): { command: CliCommand; args: string[] } | undefined {
  let best: CliCommand | undefined;
  for (const command of COMMANDS) {
    const matches = command.name.every((word, i) => argv[i] === word);
    if (matches && command.name.length > (best?.name.length ?? 0)) best = command;
  }
  return best ? { command: best, args: argv.slice(best.name.length) } : undefined;
}

/** `mycard keys` without `rotate`: the usage of the commands that start with that word. */
export function usageOf(word: string): string | undefined {
  const lines = COMMANDS.filter((c) => c.name[0] === word).map((c) =>
    ['usage: mycard', ...c.name, c.options ?? c.details?.join(' ') ?? ''].join(' ').trim(),
  );
  return lines.length ? lines.join('\n') : undefined;
}

/** `mycard <command> --help`: the command's synopsis and help, printed without touching anything. */
export function commandHelp(command: CliCommand): string {
  const synopsis = ['usage: mycard', ...command.name, command.options ?? command.details?.join(' ') ?? '']
    .join(' ')
    .trim();
  return [synopsis, '', command.summary, ...(command.help ? ['', command.help] : []), ''].join('\n');
}

/** The command list of `mycard help`. */
export function commandList(): string {
  return COMMANDS.map((c) => {
    const synopsis = [...c.name, ...(c.options ? [c.options] : [])].join(' ');
    const head = `  ${synopsis.padEnd(28)}${c.summary}`;
    return [head, ...(c.details ?? []).map((d) => `      ${d}`)].join('\n');
  }).join('\n');
}
