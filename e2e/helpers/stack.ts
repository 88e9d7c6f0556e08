import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { defined } from '../../test-support/defined.js';
import { freePort, isPortFree } from '../../test-support/free-port.js';
import { type Running, startProcess, waitForHttp } from './processes.js';

/** A console API client (cookie jar of one), as a script would drive it: no Origin header. */
export function consoleClient(platformUrl: string) {
  let cookie = '';
  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
    type = 'application/json',
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) headers['content-type'] = type;
    const payload: BodyInit | undefined =
      body === undefined
        ? undefined
        : body instanceof Uint8Array
          ? new Blob([new Uint8Array(body)])
          : JSON.stringify(body);
    const response = await fetch(platformUrl + path, { method, headers, body: payload });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) cookie = defined(setCookie.split(';')[0]);
    const envelope = (await response.json()) as { returnCode: string; info?: T };
    if (envelope.returnCode !== '0000') {
      throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(envelope)}`);
    }
    return envelope.info as T;
  }
  return { call };
}

/** A free port whose port + 2 is free too (the launcher puts its second demo shop there). */
async function freePortWithSecondShop(): Promise<number> {
  for (;;) {
    const port = await freePort();
    // The Demo Group's shop runs on port + 1.
    if ((await isPortFree(port + 2)) && (await isPortFree(port + 1))) return port;
  }
}

/** A small logo: a white shopping bag on the program colour (PNG, made here, no fixture file). */
export function makeLogo(hex: string): Buffer {
  const size = 128;
  const png = new PNG({ width: size, height: size });
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const bag = x > 34 && x < 94 && y > 46 && y < 104;
      const handle = Math.abs(Math.hypot(x - 64, y - 46) - 17) < 4 && y < 46;
      const white = bag || handle;
      png.data[i] = white ? 255 : defined(r);
      png.data[i + 1] = white ? 255 : defined(g);
      png.data[i + 2] = white ? 255 : defined(b);
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

export interface Stack {
  platformUrl: string;
  /** The launcher's data folder (the platform's database and keys: for `mycard` commands). */
  dataDir: string;
  merchantUrl: string;
  demoMart: { channelId: string; channelSecret: string };
  xssProgram: { channelId: string };
  /** The console operator the launcher created; owns Demo Mart. */
  consoleLogin: { email: string; password: string };
  /** The demo platform administrator the launcher created. */
  adminLogin: { email: string; password: string };
  /** The second demo shop the launcher started (a reference merchant on the merchant port + 2). */
  noodleBar: { channelId: string; url: string };
  /** The Demo Group program (its shop on the merchant port + 1). */
  demoGroup: { channelId: string };
  /** What the launcher printed (its banner). */
  output(): string;
  demoLogins: {
    operator: { username: string; password: string };
    member: { login: string; password: string; membershipCode: string };
  };
  processes: Running[];
  stop(): Promise<void>;
}

export const XSS_PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';

/**
 * The system as `npm start` runs it: the @mycard/stack launcher (one process: the platform, the
 * reference merchant, the Demo Mart program and the demo logins) on loopback with a fresh data
 * folder. Then, through the console API as the demo operator, Demo Mart gets the suite's logo,
 * colours and detail page, and a second program carries an XSS payload in its detail page. The
 * merchant runs at `localhost` and the platform at `127.0.0.1`: two sites, as in real life.
 * `env` adds or overrides the launcher's variables (the LINE-mode suite sets MYCARD_IDENTITY=line).
 */
export async function startStack(options: { env?: Record<string, string> } = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'mycard-e2e-'));
  const processes: Running[] = [];
  const stop = async () => {
    for (const p of processes.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [platformPort, merchantPort] = [await freePort(), await freePortWithSecondShop()];
    const platformUrl = `http://127.0.0.1:${platformPort}`;
    const merchantUrl = `http://localhost:${merchantPort}`;
    const launcher = startProcess('stack', ['apps/stack/bin/mycard-stack.js'], {
      MYCARD_PORT: String(platformPort),
      MYCARD_PUBLIC_URL: platformUrl,
      MYCARD_DATA_DIR: dir,
      MYCARD_IDENTITY: 'dev',
      MYCARD_LOG_LEVEL: 'warn',
      MYCARD_WEBHOOK_POLL_MS: '200',
      MYCARD_MERCHANT_PORT: String(merchantPort),
      MYCARD_MERCHANT_PUBLIC_URL: merchantUrl,
      MYCARD_MERCHANT_LOG_LEVEL: 'warn',
      ...options.env,
    });
    processes.push(launcher);
    // The merchant starts after the platform: once it answers, both do.
    await waitForHttp(launcher, `http://127.0.0.1:${merchantPort}/healthz`, 120_000);
    await waitForHttp(launcher, `${platformUrl}/wallet/config.json`);
    await waitForHttp(launcher, `http://127.0.0.1:${merchantPort + 2}/healthz`);
    await waitForHttp(launcher, `http://127.0.0.1:${merchantPort + 1}/healthz`);

    const readJson = (...path: string[]) => JSON.parse(readFileSync(join(dir, ...path), 'utf8'));
    const consoleLogin = readJson('console-demo-login.json');
    const adminLogin = readJson('admin-demo-login.json');
    const noodleBar = {
      channelId: readJson('merchant-noodle-bar', 'credentials.json').channelId as string,
      url: `http://localhost:${merchantPort + 2}`,
    };
    const credentials = readJson('merchant', 'credentials.json');
    const demoLogins = readJson('merchant', 'demo-logins.json');
    const channelId: string = credentials.channelId;

    const operator = consoleClient(platformUrl);
    await operator.call('POST', '/v1/console/session', consoleLogin);
    await operator.call('PATCH', `/v1/console/programs/${channelId}`, {
      colors: { background: '#0f766e', foreground: '#ffffff' },
      detail: {
        kind: 'template',
        description: 'Your neighbourhood grocery. Collect points on every visit.',
        benefits: '1 point for every NT$100.\nMembers-only prices every weekend.',
        terms: 'Points expire 12 months after they are earned.',
        contact: 'help@demo-mart.test',
        links: [{ label: 'Store locator', url: 'https://demo-mart.example/stores' }],
      },
    });
    await operator.call('PUT', `/v1/console/programs/${channelId}/logo`, makeLogo('#0f766e'), 'image/png');

    const xss = await operator.call<{ program: { channelId: string } }>('POST', '/v1/console/programs', {
      name: 'Bakery <b>Bold</b> "Quotes"',
      codeType: 'QRCODE',
      bindingUrl: `${merchantUrl}/mycard/bind`,
      colors: { background: '#7c2d12', foreground: '#fff7ed' },
      detail: {
        kind: 'template',
        description: XSS_PAYLOAD,
        benefits: '<a href="javascript:window.__xss=3">free bread</a>',
        terms: '"><svg onload=window.__xss=4>',
        contact: "javascript:alert('x')",
        links: [{ label: '<b>menu</b>', url: 'https://bakery.example/menu' }],
      },
    });
    await operator.call('POST', `/v1/console/programs/${xss.program.channelId}/status`, { status: 'LIVE' });

    return {
      platformUrl,
      dataDir: dir,
      merchantUrl,
      demoMart: { channelId, channelSecret: credentials.channelSecret },
      xssProgram: { channelId: xss.program.channelId },
      consoleLogin,
      adminLogin,
      noodleBar,
      demoGroup: { channelId: readJson('merchant-group', 'credentials.json').channelId as string },
      output: () => launcher.output(),
      demoLogins,
      processes,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
