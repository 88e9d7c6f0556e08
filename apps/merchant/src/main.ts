/**
 * The merchant system's entry point: the only module that reads the environment.
 *
 *   MYCARD_MERCHANT_PORT, MYCARD_MERCHANT_HOST, MYCARD_MERCHANT_PUBLIC_URL, MYCARD_MERCHANT_DATA_DIR,
 *   MYCARD_MERCHANT_DATABASE_URL, MYCARD_MERCHANT_DATABASE_SCHEMA, MYCARD_MERCHANT_CHANNEL_ID,
 *   MYCARD_MERCHANT_CHANNEL_SECRET, MYCARD_PLATFORM_URL, MYCARD_MERCHANT_ISSUER,
 *   MYCARD_MERCHANT_JWKS_URL, MYCARD_MERCHANT_SESSION_SECRET, MYCARD_MERCHANT_MODE,
 *   MYCARD_MERCHANT_BRAND_NAME, MYCARD_MERCHANT_BRAND_BG, MYCARD_MERCHANT_BRAND_FG,
 *   MYCARD_MERCHANT_CODE_TYPE, MYCARD_MERCHANT_CURRENCY, MYCARD_MERCHANT_EARN_AMOUNT,
 *   MYCARD_MERCHANT_EARN_POINTS, MYCARD_MERCHANT_LOCALE, MYCARD_MERCHANT_LOG_LEVEL,
 *   MYCARD_MERCHANT_TRUST_PROXY, MYCARD_MERCHANT_DEMO (=1: create demo logins).
 *
 * Run: `node apps/merchant/dist/main.js` after `npm run build` (development:
 * `npx tsx --conditions=@mycard/source apps/merchant/src/main.ts`); add a till login with
 * `MYCARD_MERCHANT_OPERATOR_PASSWORD=… node apps/merchant/dist/main.js operator create --username U --name N`.
 */
import { pathToFileURL } from 'node:url';
import type { CodeType } from '@mycard/protocol';
import { createMerchantApp, type MerchantAppOptions } from './app.js';
import { operatorCreateCommand } from './cli/operator-create.js';
import type { Locale, MerchantConfig, MerchantConfigInput, RunMode } from './config.js';
import { type DemoLogins, ensureDemoData } from './demo-data.js';

export interface RunningMerchant {
  /** Where the server listens, e.g. http://127.0.0.1:4000. */
  url: string;
  config: MerchantConfig;
  /** Set when demo data was requested. */
  demo?: DemoLogins;
  close(): Promise<void>;
}

/**
 * Builds the app, listens, and (in development, when asked) creates the demo member and POS
 * operator. The root `npm start` calls this after registering the program.
 */
export async function startMerchant(
  input: MerchantConfigInput = {},
  options: MerchantAppOptions & { demo?: boolean } = {},
): Promise<RunningMerchant> {
  const merchant = await createMerchantApp(input, options);
  for (const note of merchant.notes) merchant.app.log.info(note);
  try {
    const demo = options.demo ? await ensureDemoData(merchant.context) : undefined;
    const address = await merchant.app.listen({ port: merchant.config.port, host: merchant.config.host });
    return { url: address, config: merchant.config, ...(demo ? { demo } : {}), close: merchant.close };
  } catch (err) {
    await merchant.close();
    throw err;
  }
}

/** The config input the environment describes (unset variables keep the defaults). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): MerchantConfigInput {
  const input: MerchantConfigInput = {};
  const set = <K extends keyof MerchantConfigInput>(key: K, value: MerchantConfigInput[K] | undefined) => {
    if (value !== undefined) input[key] = value;
  };
  const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
  const str = (v: string | undefined) => (v === '' ? undefined : v);
  set('mode', str(env.MYCARD_MERCHANT_MODE) as RunMode | undefined);
  set('port', num(env.MYCARD_MERCHANT_PORT));
  set('host', str(env.MYCARD_MERCHANT_HOST));
  set('publicUrl', str(env.MYCARD_MERCHANT_PUBLIC_URL));
  set('dataDir', str(env.MYCARD_MERCHANT_DATA_DIR));
  set('databaseUrl', str(env.MYCARD_MERCHANT_DATABASE_URL));
  set('databaseSchema', str(env.MYCARD_MERCHANT_DATABASE_SCHEMA));
  set('channelId', str(env.MYCARD_MERCHANT_CHANNEL_ID));
  set('channelSecret', str(env.MYCARD_MERCHANT_CHANNEL_SECRET));
  set('platformUrl', str(env.MYCARD_PLATFORM_URL));
  set('issuer', str(env.MYCARD_MERCHANT_ISSUER));
  set('jwksUrl', str(env.MYCARD_MERCHANT_JWKS_URL));
  set('sessionSecret', str(env.MYCARD_MERCHANT_SESSION_SECRET));
  set('codeType', str(env.MYCARD_MERCHANT_CODE_TYPE) as CodeType | undefined);
  set('currency', str(env.MYCARD_MERCHANT_CURRENCY));
  set('defaultLocale', str(env.MYCARD_MERCHANT_LOCALE) as Locale | undefined);
  set('logLevel', str(env.MYCARD_MERCHANT_LOG_LEVEL) as MerchantConfig['logLevel'] | undefined);
  if (env.MYCARD_MERCHANT_TRUST_PROXY) input.trustProxy = env.MYCARD_MERCHANT_TRUST_PROXY === '1';
  const name = str(env.MYCARD_MERCHANT_BRAND_NAME);
  const background = str(env.MYCARD_MERCHANT_BRAND_BG);
  const foreground = str(env.MYCARD_MERCHANT_BRAND_FG);
  if (name || background || foreground) {
    input.brand = {
      ...(name ? { name } : {}),
      ...(background || foreground
        ? { colors: { ...(background ? { background } : {}), ...(foreground ? { foreground } : {}) } }
        : {}),
    };
  }
  const amountPerStep = num(env.MYCARD_MERCHANT_EARN_AMOUNT);
  const pointsPerStep = num(env.MYCARD_MERCHANT_EARN_POINTS);
  if (amountPerStep !== undefined || pointsPerStep !== undefined) {
    input.earning = {
      ...(amountPerStep !== undefined ? { amountPerStep } : {}),
      ...(pointsPerStep !== undefined ? { pointsPerStep } : {}),
    };
  }
  return input;
}

async function main(): Promise<void> {
  const [command, sub, ...rest] = process.argv.slice(2);
  if (command === 'operator' && sub === 'create') {
    console.log(
      await operatorCreateCommand(rest, configFromEnv(), process.env.MYCARD_MERCHANT_OPERATOR_PASSWORD),
    );
    return;
  }
  if (command !== undefined) throw new Error(`unknown command "${command}" (known: operator create)`);
  const running = await startMerchant(configFromEnv(), { demo: process.env.MYCARD_MERCHANT_DEMO === '1' });
  const base = running.config.publicUrl;
  console.log(
    `Merchant (${running.config.brand.name}) at ${base}  — POS ${base}/pos, binding page ${base}/mycard/bind`,
  );
  if (running.demo) {
    console.log(`  demo member:  ${running.demo.member.login} / ${running.demo.member.password}`);
    console.log(`  POS operator: ${running.demo.operator.username} / ${running.demo.operator.password}`);
  }
  const shutdown = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
