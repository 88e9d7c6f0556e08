import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpPlatform, startHttpPlatform, WalletClient } from '../helpers/http-platform.js';
import { DIALECTS } from '../helpers/platform.js';

const LIFF_CHANNEL = '1657000000';
const ISSUER = 'https://access.line.me';

/** A local stand-in for LINE Login: a JWKS endpoint and ID tokens signed the way LINE signs them (ES256). */
async function startFakeLine() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const kid = 'line-test-key';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const server: Server = createServer((req, res) => {
    if (req.url === '/oauth2/v2.1/certs') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const sign = (
    claims: Record<string, unknown> = {},
    options: { aud?: string; iss?: string; exp?: number; key?: CryptoKey; alg?: string } = {},
  ) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ name: 'Taro', amr: ['linesso'], ...claims })
      .setProtectedHeader({ alg: options.alg ?? 'ES256', typ: 'JWT', kid })
      .setIssuer(options.iss ?? ISSUER)
      .setAudience(options.aud ?? LIFF_CHANNEL)
      .setSubject('U1234567890abcdef1234567890abcdef')
      .setIssuedAt(now - 10)
      .setExpirationTime(options.exp ?? now + 3600)
      .sign(options.key ?? privateKey);
  };
  return {
    jwksUrl: `http://127.0.0.1:${port}/oauth2/v2.1/certs`,
    sign,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(DIALECTS)('wallet session, LINE identity (PROTOCOL.md §5) on %s', (dialect) => {
  let line: Awaited<ReturnType<typeof startFakeLine>>;
  let platform: HttpPlatform;
  beforeAll(async () => {
    line = await startFakeLine();
    platform = await startHttpPlatform(dialect, {
      identity: 'line',
      line: { channelId: LIFF_CHANNEL, jwksUrl: line.jwksUrl, issuer: ISSUER, liffId: '' },
    });
  });
  afterAll(async () => {
    await platform?.close();
    await line?.close();
  });
  const signIn = async (idToken: string) => {
    const w = new WalletClient(platform.url);
    return { w, res: await w.post('/v1/session/line', { idToken }) };
  };

  it('signs in with a LIFF ID token as line:<sub>', async () => {
    const { w, res } = await signIn(await line.sign());
    expect(res.status).toBe(200);
    expect(res.body.info).toEqual({
      userId: 'line:U1234567890abcdef1234567890abcdef',
      displayName: 'Taro',
      identity: 'line',
    });
    expect((await w.get('/v1/session')).body.info.userId).toBe('line:U1234567890abcdef1234567890abcdef');
  });

  it('refuses a wrong aud, a wrong iss, an expired token, a forged signature, HS256 (4001) and the dev endpoint (4004)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const other = await generateKeyPair('ES256');
    const tokens = [
      await line.sign({}, { aud: '1657999999' }),
      await line.sign({}, { iss: 'https://evil.example' }),
      await line.sign({}, { exp: now - 61 }),
      await line.sign({}, { key: other.privateKey }),
      await new SignJWT({ sub: 'U1' })
        .setProtectedHeader({ alg: 'HS256', kid: 'line-test-key' })
        .setIssuer(ISSUER)
        .setAudience(LIFF_CHANNEL)
        .setExpirationTime(now + 3600)
        .sign(new Uint8Array(32)),
      'not-a-jwt',
    ];
    const before = await platform.ctx.db.selectFrom('wallet_sessions').select('id_hash').execute();
    for (const token of tokens) {
      const { res } = await signIn(token);
      expect([res.status, res.body.returnCode]).toEqual([401, '4001']);
    }
    expect(await platform.ctx.db.selectFrom('wallet_sessions').select('id_hash').execute()).toEqual(before);
    // Within the 60 s skew an expired token still passes.
    expect((await signIn(await line.sign({}, { exp: now - 30 }))).res.status).toBe(200);
    const dev = await new WalletClient(platform.url).post('/v1/session/dev', {
      userId: 'a',
      displayName: 'A',
    });
    expect([dev.status, dev.body.returnCode]).toEqual([404, '4004']);
  });
});
