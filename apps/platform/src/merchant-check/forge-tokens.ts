import { createHmac } from 'node:crypto';
import {
  type BindingTokenClaims,
  buildBindingClaims,
  generateSigningKey,
  signBindingToken,
} from '@mycard/protocol';
import type { PlatformContext } from '../context.js';

/** The parts of a reserved binding the check kit builds its probes from. */
export interface ReservedProbe {
  bindingId: string;
  /** The platform's own redirect query: a valid `nonce`, `callback`, `token`. */
  nonce: string;
  callback: string;
  token: string;
}

const b64url = (value: string | Uint8Array) => Buffer.from(value).toString('base64url');

function claimsOf(token: string): BindingTokenClaims {
  const [, payload = ''] = token.split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as BindingTokenClaims;
}

function headerOf(token: string): { kid: string } {
  const [header = ''] = token.split('.');
  return JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid: string };
}

/**
 * Tokens an attacker (or a careless platform) could put in front of a merchant's binding page,
 * each for the reserved binding `probe` so that an Apply made with it would show on that binding.
 */
export function createTokenForger(ctx: PlatformContext) {
  return {
    /** `alg: none`, no signature: accepted only by a page that trusts the token's own header. */
    algNone(probe: ReservedProbe): string {
      const header = { alg: 'none', typ: 'mycard-binding+jwt', kid: headerOf(probe.token).kid };
      return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claimsOf(probe.token)))}.`;
    },
    /** HS256 keyed with the platform's public JWK text (the RS/HS key-confusion attack). */
    hs256(probe: ReservedProbe): string {
      const kid = headerOf(probe.token).kid;
      const header = { alg: 'HS256', typ: 'mycard-binding+jwt', kid };
      const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claimsOf(probe.token)))}`;
      const publicJwk = ctx.keys.jwks().keys.find((k) => (k as { kid?: string }).kid === kid) ?? {};
      const mac = createHmac('sha256', JSON.stringify(publicJwk)).update(input).digest();
      return `${input}.${b64url(mac)}`;
    },
    /** ES256 with the platform's `kid` but another key. */
    async otherKey(probe: ReservedProbe): Promise<string> {
      const key = await generateSigningKey();
      return signBindingToken(claimsOf(probe.token), {
        kid: headerOf(probe.token).kid,
        privateKey: key.privateJwk,
      });
    },
    /** Signed by the platform, issued 11 minutes ago: expired a minute ago (past the 60 s skew). */
    async expired(probe: ReservedProbe): Promise<string> {
      return resign(ctx, probe, { now: new Date(ctx.now().getTime() - 720_000) });
    },
    /** Signed by the platform for another channel (`aud`). */
    async otherAudience(probe: ReservedProbe, channelId: string): Promise<string> {
      const other = channelId === '1000000001' ? '1000000002' : '1000000001';
      return resign(ctx, probe, { channelId: other });
    },
  };
}

async function resign(
  ctx: PlatformContext,
  probe: ReservedProbe,
  change: { now?: Date; channelId?: string },
): Promise<string> {
  const claims = claimsOf(probe.token);
  const rebuilt = buildBindingClaims({
    issuer: claims.iss,
    channelId: change.channelId ?? claims.aud,
    subject: claims.sub,
    bindingId: claims.jti,
    nonce: claims.nonce,
    callback: claims.callback,
    now: change.now ?? new Date(claims.iat * 1000),
    lifetimeSeconds: claims.exp - claims.iat,
  });
  return signBindingToken(rebuilt, ctx.keys.current());
}
