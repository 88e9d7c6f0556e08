import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformConfig } from '../../config.js';
import type { PlatformContext } from '../../context.js';
import { runPlatform } from '../../main.js';
import { createOperator, findOperatorByEmail } from '../../operators/operator-repository.js';
import { createProgram, getProgram } from '../../programs/program-repository.js';
import type { CliIo } from '../cli-io.js';
import { ensureWebAppBuilt } from '../web-build.js';

const DEMO_OPERATOR_EMAIL = 'operator@demo-mart.test';

interface ConsoleDemoLogin {
  email: string;
  password: string;
}

/**
 * `mycard start`: the whole system on one machine — the platform, then the reference merchant
 * (Demo Mart). On the first start it registers the Demo Mart program (LIVE, EAN13, binding URL on
 * the merchant) owned by a demo console operator, stores the credentials in the merchant's data
 * folder, and the merchant creates a demo member and a POS operator. Later starts reuse them.
 */
export async function startSystem(config: PlatformConfig, io: CliIo): Promise<number> {
  const log = (line: string) => io.stdout(`${line}\n`);
  for (const app of ['wallet', 'console'] as const) ensureWebAppBuilt(app, log);

  const running = await runPlatform(config);
  const ctx = running.platform.ctx;
  const merchantModule = await import('@mycard/merchant-app');
  const merchantInput = merchantModule.configFromEnv(io.env);
  merchantInput.dataDir ??= join(config.dataDir, 'merchant');
  merchantInput.platformUrl ??= config.publicUrl;
  merchantInput.mode ??= config.mode;
  const merchantConfig = merchantModule.resolveMerchantConfig(merchantInput);

  let consoleLogin: ConsoleDemoLogin | undefined;
  let credentials = merchantModule.readCredentials(merchantConfig.dataDir);
  const registered = credentials ? await getProgram(ctx.db, credentials.channelId) : undefined;
  if (config.mode === 'development') consoleLogin = await ensureDemoOperator(ctx);
  if (!credentials || !registered) {
    const operator = consoleLogin ? await findOperatorByEmail(ctx.db, consoleLogin.email) : undefined;
    const { program, channelSecret } = await createProgram(ctx, {
      name: merchantConfig.brand.name,
      codeType: merchantConfig.codeType,
      bindingUrl: `${merchantConfig.publicUrl}/mycard/bind`,
      webhookUrl: `${merchantConfig.publicUrl}/mycard/webhook`,
      status: 'LIVE',
      colors: merchantConfig.brand.colors,
      detail: {
        kind: 'template',
        description: `${merchantConfig.brand.name} membership: earn points on every purchase.`,
        benefits: '1 point for every 100 spent. Points never expire while your card is active.',
        terms: 'Points have no cash value. One card per person.',
        contact: `${merchantConfig.publicUrl}/`,
        links: [{ label: 'Member site', url: `${merchantConfig.publicUrl}/` }],
      },
      operatorId: operator?.id ?? null,
    });
    credentials = {
      channelId: program.channelId,
      channelSecret,
      platformUrl: config.publicUrl,
      issuer: config.publicUrl,
      jwksUrl: `${config.publicUrl}/.well-known/jwks.json`,
    };
    merchantModule.writeCredentials(merchantConfig.dataDir, credentials);
    log(`registered the ${program.name} program (channel ${program.channelId}, LIVE) for the merchant`);
  }

  let merchant: Awaited<ReturnType<typeof merchantModule.startMerchant>>;
  try {
    merchant = await merchantModule.startMerchant(
      { ...merchantInput, channelId: credentials.channelId, channelSecret: credentials.channelSecret },
      { demo: config.mode === 'development' },
    );
  } catch (err) {
    await running.close();
    throw err;
  }
  const closeAll = async () => {
    await merchant.close().catch(() => undefined);
    await running.close();
  };
  process.once('SIGINT', () => void closeAll());
  process.once('SIGTERM', () => void closeAll());

  const base = config.publicUrl;
  const shop = merchant.config.publicUrl;
  log(
    [
      '',
      `My Card is up (${config.mode} mode, ${config.identity} identity, ${ctx.dialect})`,
      '',
      '  Platform',
      `    wallet          ${base}/wallet/`,
      `    console         ${base}/console/`,
      `    API docs        ${base}/docs`,
      `    health          ${base}/readyz`,
      '',
      `  ${merchant.config.brand.name} (reference merchant, channel ${credentials.channelId})`,
      `    member site     ${shop}/`,
      `    binding page    ${shop}/mycard/bind`,
      `    POS             ${shop}/pos`,
      '',
      ...(merchant.demo || consoleLogin ? ['  Demo logins'] : []),
      ...(consoleLogin ? [`    console         ${consoleLogin.email} / ${consoleLogin.password}`] : []),
      ...(merchant.demo
        ? [
            `    member          ${merchant.demo.member.login} / ${merchant.demo.member.password}`,
            `    POS operator    ${merchant.demo.operator.username} / ${merchant.demo.operator.password}`,
            '    wallet          sign in as any demo user (dev identity)',
          ]
        : []),
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  await running.closed;
  await merchant.close().catch(() => undefined);
  return 0;
}

/** Development only: a console operator who owns Demo Mart; the password is kept in the data folder. */
async function ensureDemoOperator(ctx: PlatformContext): Promise<ConsoleDemoLogin> {
  const file = join(ctx.config.dataDir, 'console-demo-login.json');
  let login: ConsoleDemoLogin | undefined = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as ConsoleDemoLogin)
    : undefined;
  const existing = await findOperatorByEmail(ctx.db, DEMO_OPERATOR_EMAIL);
  if (!login || !existing) {
    login = { email: DEMO_OPERATOR_EMAIL, password: randomBytes(9).toString('base64url') };
    if (existing) await ctx.db.deleteFrom('operators').where('id', '=', existing.id).execute();
    await createOperator(ctx, {
      email: login.email,
      password: login.password,
      displayName: 'Demo Mart operator',
    });
    mkdirSync(ctx.config.dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  }
  return login;
}
