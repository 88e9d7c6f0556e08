import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Console passwords are hashed with scrypt (node:crypto) and a per-user 128-bit salt. The cost
 * N=2^15, r=8, p=3 is one of OWASP's equivalent scrypt settings (32 MiB, ~100 ms); the parameters
 * are stored with the hash so they can be raised later without invalidating existing accounts.
 * Format: `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>`.
 */
const COSTS = {
  standard: { N: 2 ** 15, r: 8, p: 3 },
  // Automated tests only (`passwordCost: 'test'`, refused in production mode): the same code at
  // 1/96 of the work, as Rails and Django lower their hash cost in tests.
  test: { N: 2 ** 10, r: 8, p: 1 },
} as const;

/** `standard` in every deployment; `test` only in automated tests (refused in production mode). */
export type PasswordCost = keyof typeof COSTS;
const KEY_LENGTH = 32;

function derive(
  password: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    // Async scrypt runs on the libuv pool, so a sign-in never blocks the event loop.
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Hashes a password for storage. */
export async function hashPassword(password: string, cost: PasswordCost = 'standard'): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = COSTS[cost];
  const key = await derive(password, salt, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Checks `password` against a stored hash in constant time. With `stored` undefined (unknown
 * e-mail) it still spends the same work, so response times do not reveal which e-mails exist.
 */
export async function verifyPassword(
  password: string,
  stored: string | undefined,
  cost: PasswordCost = 'standard',
): Promise<boolean> {
  const parts = (stored ?? dummyHash(cost)).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, rr, pp, saltText = '', keyText = ''] = parts;
  const [N = 0, r = 0, p = 0] = [n, rr, pp].map(Number);
  const expected = Buffer.from(keyText, 'base64url');
  const actual = await derive(password, Buffer.from(saltText, 'base64url'), { N, r, p });
  return actual.length === expected.length && timingSafeEqual(actual, expected) && stored !== undefined;
}

/** A well-formed hash of no real password at `cost`, for the unknown-e-mail path. */
function dummyHash(cost: PasswordCost): string {
  const { N, r, p } = COSTS[cost];
  return `scrypt$${N}$${r}$${p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_LENGTH).toString('base64url')}`;
}
