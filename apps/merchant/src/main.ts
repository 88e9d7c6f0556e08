/**
 * The merchant system's entry point: the only module that reads the environment — the
 * `MYCARD_MERCHANT_*` variables (and `MYCARD_PLATFORM_URL`) that `MerchantConfigSchema` names,
 * listed in docs/merchant.md, plus MYCARD_MERCHANT_DEMO (=1: create demo logins).
 *
 * Run: `node apps/merchant/dist/main.js` after `npm run build` (development:
 * `npx tsx --conditions=@mycard/source apps/merchant/src/main.ts`); add a till login with
 * `MYCARD_MERCHANT_OPERATOR_PASSWORD=… node apps/merchant/dist/main.js operator create --username U --name N`.
 */
import { pathToFileURL } from 'node:url';
import { readEnv } from '@mycard/config';
import { createMerchantApp, type MerchantAppOptions } from './app.js';
import { expiryRunCommand } from './cli/expiry-run.js';
import { operatorCreateCommand } from './cli/operator-create.js';
import {
  ConfigError,
  type MerchantConfig,
  type MerchantConfigInput,
  MerchantConfigSchema,
} from './config.js';
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

/** Variables the merchant reads outside its config: known, so never warned about. */
const NOT_CONFIG = ['MYCARD_MERCHANT_DEMO', 'MYCARD_MERCHANT_OPERATOR_PASSWORD'];

/**
 * The config input the environment describes: the variables `MerchantConfigSchema` names (unset
 * or empty ones keep the defaults). A malformed number or boolean throws a ConfigError naming the
 * variable; ranges are checked by `resolveMerchantConfig`. An unknown `MYCARD_MERCHANT_*` variable
 * goes to `warn` with the nearest known name.
 */
export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = () => {},
): MerchantConfigInput {
  const { input, warnings } = readEnv(MerchantConfigSchema, env, {
    prefix: 'MYCARD_MERCHANT_',
    alsoKnown: NOT_CONFIG,
  });
  for (const w of warnings) warn(w);
  return input as MerchantConfigInput;
}

async function main(): Promise<void> {
  const [command, sub, ...rest] = process.argv.slice(2);
  const warn = (message: string) => console.warn(`merchant: warning: ${message}`);
  if (command === 'operator' && sub === 'create') {
    console.log(
      await operatorCreateCommand(
        rest,
        configFromEnv(process.env, warn),
        process.env.MYCARD_MERCHANT_OPERATOR_PASSWORD,
      ),
    );
    return;
  }
  if (command === 'expiry' && sub === 'run') {
    console.log(await expiryRunCommand(configFromEnv(process.env, warn)));
    return;
  }
  if (command !== undefined) {
    throw new Error(`unknown command "${command}" (known: operator create, expiry run)`);
  }
  const running = await startMerchant(configFromEnv(process.env, warn), {
    demo: process.env.MYCARD_MERCHANT_DEMO === '1',
  });
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
    console.error(err instanceof ConfigError ? `merchant: configuration error: ${err.message}` : err);
    process.exit(1);
  });
}
