import { parseArgs } from 'node:util';
import { createPlatformApp } from '../../app.js';
import type { PlatformConfig } from '../../config.js';
import { formatReport } from '../../merchant-check/format-report.js';
import { runMerchantCheck } from '../../merchant-check/run-merchant-check.js';
import { type CliIo, EXIT, UsageError } from '../cli-io.js';

/** `mycard merchant-check`: the merchant check kit of issue 8 (docs/integration-guide.md). */
export async function merchantCheck(config: PlatformConfig, io: CliIo, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      program: { type: 'string' },
      'binding-url': { type: 'string' },
      tester: { type: 'string' },
      'login-script': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.program === undefined || !/^\d{10}$/.test(values.program)) {
    throw new UsageError('--program <channelId> (10 digits) is required (mycard merchant-check --help)');
  }
  const bindingUrl = values['binding-url'];
  if (bindingUrl !== undefined && !/^https?:\/\//.test(bindingUrl))
    throw new UsageError('--binding-url must be an http(s) URL');
  const platform = await createPlatformApp(config, { logger: false });
  try {
    const outcomes = await runMerchantCheck(platform.ctx, {
      channelId: values.program,
      ...(bindingUrl !== undefined ? { bindingUrl } : {}),
      ...(values.tester !== undefined ? { tester: values.tester } : {}),
      ...(values['login-script'] !== undefined ? { loginScript: values['login-script'] } : {}),
    });
    if (values.json) io.stdout(`${JSON.stringify({ channelId: values.program, outcomes }, null, 2)}\n`);
    else io.stdout(formatReport(outcomes, bindingUrl ?? `the binding URL of ${values.program}`));
    return outcomes.some((o) => o.result === 'fail') ? EXIT.failure : EXIT.ok;
  } finally {
    await platform.close();
  }
}
