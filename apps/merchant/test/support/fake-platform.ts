import { buildBindingClaims, generateSigningKey, signBindingToken } from '@mycard/protocol';

export const PLATFORM = 'http://platform.test';
export const CHANNEL_ID = '1234567890';
export const CHANNEL_SECRET = 'a'.repeat(64);
export const CALLBACK = `${PLATFORM}/wallet/bindings/callback`;

type Handler = (body: Record<string, unknown>) => { status: number; body: unknown };

/**
 * An HTTP-level stand-in for the platform, given to the SDK as its `fetch`: it serves a JWKS and
 * answers the merchant API with protocol envelopes. The real SDK does all signing and checking.
 */
export async function createFakePlatform() {
  const key = await generateSigningKey();
  const calls: Array<{ path: string; body: Record<string, unknown> }> = [];
  const handlers = new Map<string, Handler>();
  const fetchStub = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.pathname === '/.well-known/jwks.json') return Response.json({ keys: [key.publicJwk] });
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : {};
    calls.push({ path: url.pathname, body });
    const handler = handlers.get(url.pathname);
    if (!handler) return Response.json({ returnCode: '4004', returnMessage: 'Not found.' }, { status: 404 });
    const answer = handler(body);
    return Response.json(answer.body, { status: answer.status });
  }) as typeof fetch;

  async function bindingQuery(
    over: { channelId?: string; exp?: number; nonce?: string; bindingId?: string; callback?: string } = {},
  ) {
    const nonce = over.nonce ?? `n_${Math.random().toString(36).slice(2)}abcdefghijklmnop`;
    const claims = buildBindingClaims({
      issuer: PLATFORM,
      channelId: over.channelId ?? CHANNEL_ID,
      subject: 'pairwise-subject-0000000000000000000000000',
      bindingId: over.bindingId ?? `bnd_${Math.random().toString(36).slice(2)}xxxxxxxxxxxx`,
      nonce,
      callback: over.callback ?? CALLBACK,
      now: new Date(),
    });
    const token = await signBindingToken(claims, { kid: key.kid, privateKey: key.privateJwk });
    return { nonce, callback: claims.callback, token, bindingId: claims.jti };
  }

  return {
    fetch: fetchStub,
    calls,
    bindingQuery,
    on(path: string, handler: Handler) {
      handlers.set(path, handler);
    },
    config: {
      channelId: CHANNEL_ID,
      channelSecret: CHANNEL_SECRET,
      platformUrl: PLATFORM,
    },
  };
}

export function envelope(info: unknown) {
  return { status: 200, body: { returnCode: '0000', returnMessage: 'Success.', info } };
}

export function failure(returnCode: string, status: number) {
  return { status, body: { returnCode, returnMessage: 'refused' } };
}
