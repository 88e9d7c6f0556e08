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
  type RunningPlatform,
  runPlatform,
} from '@mycard/platform';
import { ensureDemoAdmin } from './demo-admin.js';
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
  } catch (err) {
    await platform.close();
    throw err;
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      log('stopping: the merchant first, then the platform');
      await merchant.close().catch((err: unknown) => log(`merchant: error while stopping: ${String(err)}`));
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
    close,
    closed: closed.then(() => undefined),
  };
}
