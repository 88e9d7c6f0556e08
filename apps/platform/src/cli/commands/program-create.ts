import { parseArgs } from 'node:util';
import { createPlatformApp } from '../../app.js';
import type { PlatformConfig } from '../../config.js';
import { findOperatorByEmail } from '../../operators/operator-repository.js';
import { readRunningPlatform } from '../../ops/running-platform.js';
import { validateNewProgram } from '../../programs/program-input.js';
import { createProgram } from '../../programs/program-repository.js';
import { createPublicKeyPem } from '../../routes/console/program-routes.js';
import { checkWebhookDestination } from '../../webhooks/webhook-destination.js';
import { type CliIo, UsageError } from '../cli-io.js';

/**
 * `mycard program create --name N --binding-url U --code-type T [--webhook-url W] [--live]
 * [--tester USERID]... [--operator EMAIL] [--json]`: registers a program exactly as the console API
 * would (same schema, same URL rules) and prints its credentials. Invalid input: exit 2, nothing stored.
 */
export async function programCreate(config: PlatformConfig, io: CliIo, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      'binding-url': { type: 'string' },
      'code-type': { type: 'string' },
      'webhook-url': { type: 'string' },
      live: { type: 'boolean', default: false },
      tester: { type: 'string', multiple: true },
      operator: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const { name, 'binding-url': bindingUrl, 'code-type': codeType } = values;
  if (name === undefined || bindingUrl === undefined || codeType === undefined) {
    const missing = (['name', 'binding-url', 'code-type'] as const).filter((k) => values[k] === undefined);
    throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
  }
  const input = {
    name,
    codeType,
    bindingUrl,
    ...(values['webhook-url'] !== undefined ? { webhookUrl: values['webhook-url'] } : {}),
    ...(values.tester ? { testers: values.tester } : {}),
  };
  const problems = validateNewProgram(input);
  if (problems.length) throw new UsageError(`invalid program: ${problems.join('; ')}`);

  const platform = await createPlatformApp(config, { logger: false });
  try {
    const refused = input.webhookUrl
      ? await checkWebhookDestination(platform.config, input.webhookUrl)
      : undefined;
    if (refused) throw new UsageError(`invalid program: /webhookUrl: not allowed (${refused})`);
    let operatorId: string | null = null;
    if (values.operator !== undefined) {
      const operator = await findOperatorByEmail(platform.ctx.db, values.operator);
      if (!operator) throw new UsageError(`no operator with e-mail ${values.operator}`);
      operatorId = operator.id;
    }
    const { program, channelSecret } = await createProgram(platform.ctx, {
      name,
      codeType: input.codeType as never,
      bindingUrl,
      webhookUrl: input.webhookUrl ?? null,
      status: values.live ? 'LIVE' : 'DRAFT',
      ...(input.testers ? { testers: input.testers } : {}),
      operatorId,
    });
    const running = readRunningPlatform(config.dataDir);
    if (!running) {
      io.stderr(
        `mycard: no platform is running on ${config.dataDir}: issuer and JWKS URL are from this environment's MYCARD_PUBLIC_URL (${config.publicUrl})\n`,
      );
    }
    const credentials = {
      channelId: program.channelId,
      channelSecret,
      name: program.name,
      codeType: program.codeType,
      status: program.status,
      bindingUrl: program.bindingUrl,
      webhookUrl: program.webhookUrl,
      // From the running platform's configuration (its data folder), not this shell's environment.
      issuer: running?.issuer ?? config.publicUrl,
      jwksUrl: running?.jwksUrl ?? `${config.publicUrl}/.well-known/jwks.json`,
      publicKeyPem: (await createPublicKeyPem(platform.ctx)()).pem,
    };
    if (values.json) io.stdout(`${JSON.stringify(credentials, null, 2)}\n`);
    else {
      io.stdout(
        [
          `Program "${credentials.name}" registered (${credentials.status}, ${credentials.codeType})`,
          `  channel id      ${credentials.channelId}`,
          `  channel secret  ${credentials.channelSecret}   (keep it secret; shown in the console too)`,
          `  binding URL     ${credentials.bindingUrl}`,
          `  webhook URL     ${credentials.webhookUrl ?? '(none)'}`,
          `  issuer          ${credentials.issuer}   (verifyBindingRequest issuer: exactly this)`,
          `  JWKS            ${credentials.jwksUrl}`,
          '  platform public key:',
          credentials.publicKeyPem,
        ].join('\n'),
      );
    }
    return 0;
  } finally {
    await platform.close();
  }
}
