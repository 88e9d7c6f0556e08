import { join } from 'node:path';
import {
  type Credentials,
  type MerchantConfigInput,
  type RunningMerchant,
  resolveMerchantConfig,
  startMerchant,
} from '@mycard/merchant-app';
import {
  findOperatorByEmail,
  type PlatformConfig,
  type PlatformContext,
  type RunningPlatform,
  runPlatform,
} from '@mycard/platform';
import { ensureDemoAdmin } from './demo-admin.js';
import { ensureDemoBundle } from './demo-bundle.js';
import { ensureDemoGroup } from './demo-group.js';
import { type ConsoleDemoLogin, ensureDemoOperator } from './demo-operator.js';
import { ensureDemoProgram } from './demo-program.js';
import type { LogFiles, LogStream } from './log-files.js';

/**
 * A server's port is taken (EADDRINUSE): the message names the variable that moves it (issue 11
 * item 14) — MYCARD_PORT for the platform, MYCARD_MERCHANT_PORT for the reference merchant.
 */
export class PortInUseError extends Error {
  constructor(server: 'platform' | 'merchant', host: string, port: number) {
    const [who, variable] =
      server === 'platform'
        ? ['the platform', 'MYCARD_PORT']
        : ['the reference merchant', 'MYCARD_MERCHANT_PORT'];
    super(
      `port ${port} on ${host} is already in use, so ${who} cannot listen there. Stop what uses it, or ` +
        `choose another port with ${variable} (e.g. ${variable}=${port + 10} npm start).`,
    );
    this.name = 'PortInUseError';
  }
}

const portTaken = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE';

export interface StackOptions {
  platform: PlatformConfig;
  /** The merchant's own settings (MYCARD_MERCHANT_*); data folder, platform URL and mode default to the platform's. */
  merchant: MerchantConfigInput;
  /** One line of progress for people (registrations, stopping). */
  log: (line: string) => void;
  /** Where the servers' logs go (`npm start`: files in the data folder); default stdout. */
  logFiles?: LogFiles;
}

export interface RunningStack {
  platform: RunningPlatform;
  merchant: RunningMerchant;
  /** The merchant's program on the platform. */
  credentials: Credentials;
  /** Development: the console login that owns the merchant's program. */
  consoleLogin?: ConsoleDemoLogin;
  /** Development: the demo platform administrator (the console's admin area, issue 14). */
  adminLogin?: ConsoleDemoLogin;
  /** Development: a second reference-merchant shop (Noodle Bar) for the demo bundle. */
  secondShop?: { merchant: RunningMerchant; credentials: Credentials };
  /** Development: the wallet link of the demo campaign bundle (PROTOCOL.md §9). */
  bundleUrl?: string;
  /** The folder of the servers' log files, when they go to files. */
  logDir?: string;
  /**
   * Development: "Demo Group" (PROTOCOL.md §8), one card at two brands, run by a second reference
   * merchant with a store per brand (docs/integration-guide.md, "Groups").
   */
  group?: { merchant: RunningMerchant; channelId: string; stores: { storeId: string; name: string }[] };
  /** Stops the merchant first, then the platform; each lets its in-flight requests finish. */
  close(): Promise<void>;
  /** Resolves once both have stopped. */
  closed: Promise<void>;
}

/** Demo Mart's tiers (TWD spent in the last 12 months). */
const DEMO_TIERS: MerchantConfigInput['tiers'] = {
  windowMonths: 12,
  levels: [
    { name: 'Member', minSpend: 0 },
    { name: 'Silver', minSpend: 10_000 },
    { name: 'Gold', minSpend: 50_000 },
  ],
};

/**
 * The whole system on one machine: the platform, then the reference merchant linked to it. On the
 * first start it registers the merchant's program owned by a demo console operator (development) and
 * stores the credentials in the merchant's data folder; the merchant creates a demo member and POS
 * operator (development). Later starts reuse them. Listens for no signals: the caller owns them.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { platform: config, log } = options;
  const development = config.mode === 'development';
  const merchantInput: MerchantConfigInput = {
    // The demo shop has tiers by 12-month spend, unless the merchant's own config says otherwise.
    ...(development ? { tiers: DEMO_TIERS } : {}),
    ...options.merchant,
    dataDir: options.merchant.dataDir ?? join(config.dataDir, 'merchant'),
    platformUrl: options.merchant.platformUrl ?? config.publicUrl,
    mode: options.merchant.mode ?? config.mode,
  };
  const merchantConfig = resolveMerchantConfig(merchantInput);

  const { logFiles } = options;
  const platform = await runPlatform(
    config,
    logFiles ? { logger: { level: config.logLevel, stream: logFiles.stream('platform') } } : {},
  ).catch((err: unknown) => {
    throw portTaken(err) ? new PortInUseError('platform', config.host, config.port) : err;
  });
  let merchant: RunningMerchant;
  let credentials: Credentials;
  let consoleLogin: ConsoleDemoLogin | undefined;
  let adminLogin: ConsoleDemoLogin | undefined;
  let secondShop: RunningStack['secondShop'];
  let bundleUrl: string | undefined;
  let group: RunningStack['group'];
  try {
    const ctx = platform.platform.ctx;
    consoleLogin = development ? await ensureDemoOperator(ctx) : undefined;
    adminLogin = development ? await ensureDemoAdmin(ctx) : undefined;
    const owner = consoleLogin ? await findOperatorByEmail(ctx.db, consoleLogin.email) : undefined;
    const program = await ensureDemoProgram(ctx, merchantConfig, owner?.id ?? null);
    credentials = program.credentials;
    if (program.registered) {
      log(`registered the ${merchantConfig.brand.name} program (channel ${credentials.channelId}, LIVE)`);
    }
    merchant = await startMerchant(
      { ...merchantInput, channelId: credentials.channelId, channelSecret: credentials.channelSecret },
      { demo: development, ...(logFiles ? { logStream: logFiles.stream('merchant') } : {}) },
    );
    if (development) {
      secondShop = await startSecondShop(
        ctx,
        merchantInput,
        merchantConfig,
        owner?.id ?? null,
        log,
        logFiles?.stream('noodle-bar'),
      );
    }
    if (development && merchantConfig.port !== 0) {
      // The demo group is an extra: when it cannot start (its port is taken), the stack runs without it.
      try {
        group = await startDemoGroup(
          ctx,
          merchantInput,
          merchantConfig,
          owner?.id ?? null,
          log,
          logFiles?.stream('demo-group'),
        );
      } catch (err) {
        log(`Demo Group not started: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (development) {
      // The demo campaign bundle (issue 13): Demo Mart and the Demo Group, and Noodle Bar beside them.
      const programs = [
        credentials.channelId,
        ...(group ? [group.channelId] : []),
        ...(secondShop ? [secondShop.credentials.channelId] : []),
      ];
      if (programs.length >= 2) bundleUrl = await ensureDemoBundle(ctx, programs);
    }
  } catch (err) {
    await group?.merchant.close().catch(() => {});
    await secondShop?.merchant.close().catch(() => {});
    await platform.close();
    throw portTaken(err) ? new PortInUseError('merchant', merchantConfig.host, merchantConfig.port) : err;
  }

  if (development) {
    // The platform's landing page at / lists what runs beside it (issue 11 item 13).
    const shop = merchant.config.publicUrl;
    platform.platform.ctx.landing = {
      merchant: {
        name: merchant.config.brand.name,
        memberSite: `${shop}/`,
        bindingPage: `${shop}/mycard/bind`,
        pos: `${shop}/pos`,
      },
      logins: [
        ...(consoleLogin
          ? [{ role: 'logins.console' as const, login: consoleLogin.email, password: consoleLogin.password }]
          : []),
        ...(adminLogin
          ? [{ role: 'logins.admin' as const, login: adminLogin.email, password: adminLogin.password }]
          : []),
        ...(merchant.demo
          ? [
              {
                role: 'logins.member' as const,
                login: merchant.demo.member.login,
                password: merchant.demo.member.password,
              },
              {
                role: 'logins.operator' as const,
                login: merchant.demo.operator.username,
                password: merchant.demo.operator.password,
              },
            ]
          : []),
      ],
    };
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      log('stopping: the merchant first, then the platform');
      await group?.merchant
        .close()
        .catch((err: unknown) => log(`group merchant: error while stopping: ${String(err)}`));
      await merchant.close().catch((err: unknown) => log(`merchant: error while stopping: ${String(err)}`));
      await secondShop?.merchant
        .close()
        .catch((err: unknown) => log(`second shop: error while stopping: ${String(err)}`));
      log('merchant stopped');
      await platform.close();
      log('platform stopped');
    })();
    return closing;
  };
  const closed = platform.closed.then(() => closing);
  return {
    platform,
    merchant,
    credentials,
    ...(consoleLogin ? { consoleLogin } : {}),
    ...(adminLogin ? { adminLogin } : {}),
    ...(secondShop ? { secondShop } : {}),
    ...(bundleUrl ? { bundleUrl } : {}),
    ...(logFiles ? { logDir: logFiles.dir } : {}),
    ...(group ? { group } : {}),
    close,
    closed: closed.then(() => undefined),
  };
}

/**
 * Development only: a second reference-merchant shop, "Noodle Bar", on the merchant's port + 2 (its
 * own data folder, program and site), so the demo campaign bundle walks through two merchants' binding
 * pages. Skipped when the merchant listens on a random port (0); a shop that cannot start (the port is
 * taken) is reported and left out, never a reason for `npm start` to fail.
 */
async function startSecondShop(
  ctx: PlatformContext,
  input: MerchantConfigInput,
  first: ReturnType<typeof resolveMerchantConfig>,
  ownerId: string | null,
  log: (line: string) => void,
  logStream?: LogStream,
): Promise<RunningStack['secondShop']> {
  if (first.port === 0) return undefined;
  const port = first.port + 2;
  const publicUrl = new URL(first.publicUrl);
  publicUrl.port = String(port);
  const shopInput: MerchantConfigInput = {
    ...input,
    port,
    publicUrl: publicUrl.origin,
    dataDir: `${first.dataDir}-noodle-bar`,
    brand: { name: 'Noodle Bar', colors: { background: '#b45309', foreground: '#ffffff' } },
  };
  const shopConfig = resolveMerchantConfig(shopInput);
  try {
    const program = await ensureDemoProgram(ctx, shopConfig, ownerId);
    if (program.registered) {
      log(`registered the ${shopConfig.brand.name} program (channel ${program.credentials.channelId}, LIVE)`);
    }
    const merchant = await startMerchant(
      {
        ...shopInput,
        channelId: program.credentials.channelId,
        channelSecret: program.credentials.channelSecret,
      },
      { demo: true, ...(logStream ? { logStream } : {}) },
    );
    return { merchant, credentials: program.credentials };
  } catch (err) {
    log(`second demo shop not started: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/**
 * The demo group's shop: a second reference merchant beside Demo Mart, on its own data folder (and
 * its own schema on PostgreSQL), one port up from Demo Mart's (none when that is 0: any free port), named "Demo
 * Group", with a store per brand in its stores.json (PROTOCOL.md §8).
 */
async function startDemoGroup(
  ctx: PlatformContext,
  merchantInput: MerchantConfigInput,
  merchantConfig: ReturnType<typeof resolveMerchantConfig>,
  operatorId: string | null,
  log: (line: string) => void,
  logStream?: LogStream,
): Promise<NonNullable<RunningStack['group']>> {
  // One port up, at Demo Mart's host; the binding URL registered must be where it listens.
  const port = merchantConfig.port + 1;
  const publicUrl = new URL(merchantConfig.publicUrl);
  publicUrl.port = String(port);
  const groupInput: MerchantConfigInput = {
    ...merchantInput,
    dataDir: join(merchantConfig.dataDir, '..', 'merchant-group'),
    port,
    publicUrl: publicUrl.origin,
    brand: { name: 'Demo Group', colors: { background: '#6d28d9', foreground: '#ffffff' } },
    ...(merchantConfig.databaseUrl
      ? { databaseSchema: `${merchantConfig.databaseSchema || 'merchant'}_group` }
      : {}),
  };
  const groupConfig = resolveMerchantConfig(groupInput);
  const registered = await ensureDemoGroup(ctx, groupConfig, operatorId);
  if (registered.registered) {
    log(
      `registered the Demo Group program (channel ${registered.channelId}, LIVE) with ${registered.stores
        .map((s) => `${s.name} (channel ${s.channelId})`)
        .join(' and ')}`,
    );
  }
  // Channel credentials and stores come from its data folder (credentials.json, stores.json).
  const running = await startMerchant(groupInput, { demo: true, ...(logStream ? { logStream } : {}) });
  return {
    merchant: running,
    channelId: registered.channelId,
    stores: registered.stores.map((s) => ({ storeId: s.storeId, name: s.name })),
  };
}
