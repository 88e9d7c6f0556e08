import type { createTokenForger, ReservedProbe } from './forge-tokens.js';

/** The query a probe opens the binding page with; `undefined` leaves a parameter out. */
export type ProbeQuery = { nonce?: string; callback?: string; token?: string };

/** One attack on the binding page: the page must refuse it and make no Apply. */
export interface RefusalCase {
  id: string;
  title: string;
  /** Why a page that accepts this is dangerous. */
  meaning: string;
  /** How to fix a page that accepts it. */
  fix: string;
  build(
    probe: ReservedProbe,
    forge: ReturnType<typeof createTokenForger>,
    channelId: string,
  ): Promise<ProbeQuery>;
}

const VERIFY =
  'verify every request with verifyBindingRequest() (or the checks of PROTOCOL.md §4.4) before showing anything';

/** The refusal cases of issue 8, in the order they are reported. */
export const REFUSAL_CASES: readonly RefusalCase[] = [
  {
    id: 'alg-none',
    title: 'token with alg "none"',
    meaning: 'an unsigned token was accepted: anyone can bind any member',
    fix: `accept ES256 only; ${VERIFY}`,
    build: async (p, f) => ({ nonce: p.nonce, callback: p.callback, token: f.algNone(p) }),
  },
  {
    id: 'alg-hs256',
    title: 'HS256 token keyed with the public key',
    meaning: 'the page lets the token choose its algorithm (key confusion): tokens can be forged',
    fix: `never take the algorithm from the token; ${VERIFY}`,
    build: async (p, f) => ({ nonce: p.nonce, callback: p.callback, token: f.hs256(p) }),
  },
  {
    id: 'other-key',
    title: 'token signed by another key',
    meaning: 'the signature is not checked against the platform key set',
    fix: 'verify the ES256 signature with the key of the JWKS (jwksUrl) for the token kid',
    build: async (p, f) => ({ nonce: p.nonce, callback: p.callback, token: await f.otherKey(p) }),
  },
  {
    id: 'expired',
    title: 'expired token (exp a minute ago)',
    meaning: 'an old link (history, logs, a shared screenshot) still binds',
    fix: 'check exp with at most 60 s skew; answer "start again from the wallet"',
    build: async (p, f) => ({ nonce: p.nonce, callback: p.callback, token: await f.expired(p) }),
  },
  {
    id: 'other-audience',
    title: 'token for another channel (aud)',
    meaning: "a token issued for another merchant's program is accepted by yours",
    fix: 'check aud equals your own channel id (verifyBindingRequest channelId)',
    build: async (p, f, channelId) => ({
      nonce: p.nonce,
      callback: p.callback,
      token: await f.otherAudience(p, channelId),
    }),
  },
  {
    id: 'nonce-mismatch',
    title: 'query nonce differs from the signed one',
    meaning: 'the link was edited and the page did not notice',
    fix: 'compare the query nonce with the nonce claim exactly',
    build: async (p) => ({ nonce: `${p.nonce.slice(0, -2)}zz`, callback: p.callback, token: p.token }),
  },
  {
    id: 'callback-mismatch',
    title: 'query callback differs from the signed one',
    meaning: 'the page may send the member somewhere the platform did not choose',
    fix: 'compare the query callback with the callback claim exactly; redirect only to the claim',
    build: async (p) => ({ nonce: p.nonce, callback: `${p.callback}?next=%2F`, token: p.token }),
  },
  {
    id: 'callback-other-origin',
    title: 'query callback on another origin',
    meaning: 'an open redirect: members (and their completion token) can be sent to an attacker',
    fix: 'redirect only to the callback from the verified claims, never to the query value',
    build: async (p) => ({
      nonce: p.nonce,
      callback: 'https://attacker.invalid/wallet/bindings/callback',
      token: p.token,
    }),
  },
  {
    id: 'missing-token',
    title: 'missing token parameter',
    meaning: 'the page works without a token: it is not checking the request at all',
    fix: 'refuse a request without nonce, callback and token',
    build: async (p) => ({ nonce: p.nonce, callback: p.callback }),
  },
  {
    id: 'missing-nonce',
    title: 'missing nonce parameter',
    meaning: 'the nonce is not compared with the signed one',
    fix: 'refuse a request without nonce, callback and token',
    build: async (p) => ({ callback: p.callback, token: p.token }),
  },
  {
    id: 'missing-callback',
    title: 'missing callback parameter',
    meaning: 'the callback is not compared with the signed one',
    fix: 'refuse a request without nonce, callback and token',
    build: async (p) => ({ nonce: p.nonce, token: p.token }),
  },
];
