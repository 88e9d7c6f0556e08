import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { PlatformConfig } from '../config.js';
import { fail } from '../http/errors.js';
import type { WalletUser } from './wallet-session.js';

/** Tolerated clock skew on LIFF ID tokens (docs/protocol-notes.md, "LINE identity"). */
const CLOCK_SKEW_SECONDS = 60;

/**
 * Verifies LIFF ID tokens the way LINE specifies them: ES256 only, signed by a key of LINE's JWKS,
 * `iss` = https://access.line.me, `aud` = the LIFF channel id, `exp` with 60 s skew. The key set
 * is created once and cached by jose (refetched on an unknown `kid`).
 */
export function createLineIdTokenVerifier(line: PlatformConfig['line'], now: () => Date) {
  const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(line.jwksUrl), { timeoutDuration: 5000 });
  return async function verifyLineIdToken(idToken: string): Promise<WalletUser> {
    try {
      const { payload } = await jwtVerify(idToken, jwks, {
        issuer: line.issuer,
        audience: line.channelId,
        algorithms: ['ES256'],
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: now(),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const sub = payload.sub ?? '';
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(sub)) throw fail('4001', 'line_sub_invalid');
      const name =
        typeof payload.name === 'string' && payload.name.length > 0 ? payload.name.slice(0, 64) : 'LINE user';
      return { id: `line:${sub}`, displayName: name };
    } catch (err) {
      // Which check failed goes to the log through the reason, never to the caller. An unreachable
      // JWKS is our failure, not the user's: it stays a 9000.
      if (err instanceof errors.JOSEError && !(err instanceof errors.JWKSTimeout))
        throw fail('4001', 'line_token_invalid', err.code);
      throw err;
    }
  };
}
