import { defined } from '../../../../test-support/defined.js';
import type { TestPlatform } from '../helpers/platform.js';

/** Tiny real images (1×1) for logo tests. */
export const IMAGES = {
  png: Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  ),
  jpeg: Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
    'base64',
  ),
  webp: Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64'),
};

export const PASSWORD = 'correct horse battery staple';

export interface ConsoleOperator {
  cookie: string;
  id: string;
  email: string;
}

/** Signs up an operator and returns its session cookie. */
export async function signUp(platform: TestPlatform, email: string): Promise<ConsoleOperator> {
  const res = await platform.app.inject({
    method: 'POST',
    url: '/v1/console/signup',
    payload: { email, password: PASSWORD, displayName: email.split('@')[0] },
  });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  return { cookie: sessionCookie(res.headers['set-cookie']), id: res.json().info.operator.id, email };
}

/** `mycard_console=<value>` from a Set-Cookie header. */
export function sessionCookie(setCookie: string | string[] | undefined): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const found = all.find((c) => c.startsWith('mycard_console='));
  if (!found) throw new Error('no mycard_console cookie');
  return defined(found.split(';')[0]);
}

/** A console call as the given operator (JSON body unless `headers` say otherwise). */
export function call(
  platform: TestPlatform,
  op: ConsoleOperator | undefined,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return platform.app.inject({
    method,
    url: `/v1/console${url}`,
    headers: { ...(op ? { cookie: op.cookie } : {}), ...headers },
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
}

export const VALID_PROGRAM = {
  name: 'Demo Mart',
  codeType: 'EAN13',
  bindingUrl: 'https://shop.example/mycard/bind?from=wallet',
};

/** Creates a program as `op` and returns `{channelId, channelSecret, program}`. */
export async function createTestProgram(
  platform: TestPlatform,
  op: ConsoleOperator,
  extra: Record<string, unknown> = {},
) {
  const res = await call(platform, op, 'POST', '/programs', { ...VALID_PROGRAM, ...extra });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  const info = res.json().info;
  return {
    channelId: info.program.channelId as string,
    channelSecret: info.channelSecret as string,
    program: info.program,
  };
}
