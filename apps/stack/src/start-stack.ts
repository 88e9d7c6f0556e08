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
import { type ConsoleDemoLogin, ensureDemoOperator } from './demo-operator.js';
import { ensureDemoProgram } from './demo-program.js';

export interface StackOptions {
  platform: PlatformConfig;
  /** The merchant's own settings (MYCARD_MERCHANT_*); data folder, platform URL and mode default to the platform's. */
  merchant: MerchantConfigInput;
  /** One line of progress for people (registrations, stopping). */
  log: (line: string) => void;
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

  const platform = await runPlatform(config);
  let merchant: RunningMerchant;
  let credentials: Credentials;
  let consoleLogin: ConsoleDemoLogin | undefined;
  let adminLogin: ConsoleDemoLogin | undefined;
  let secondShop: RunningStack['secondShop'];
  let bundleUrl: string | undefined;
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
      { demo: development },
    );
    if (development) {
      secondShop = await startSecondShop(ctx, merchantInput, merchantConfig, owner?.id ?? null, log);
      const programs = [credentials.channelId, ...(secondShop ? [secondShop.credentials.channelId] : [])];
      if (programs.length >= 2) bundleUrl = await ensureDemoBundle(ctx, programs);
    }
  } catch (err) {
    await secondShop?.merchant.close().catch(() => {});
    await platform.close();
    throw err;
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      log('stopping: the merchant first, then the platform');
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
      { demo: true },
    );
    return { merchant, credentials: program.credentials };
  } catch (err) {
    log(`second demo shop not started: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
