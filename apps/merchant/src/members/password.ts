import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt N=2^15, r=8, p=1 (OWASP's minimum for scrypt is N=2^17 at p=1 for ~interactive logins on
// servers; 2^15 keeps a sign-up under ~60 ms on small shop hardware). Parameters travel in the hash
// string, so they can be raised later without breaking existing members.
const COSTS = {
  standard: { N: 2 ** 15, r: 8, p: 1 },
  // Automated tests only (`passwordCost: 'test'`, refused in production mode): the same code at
  // 1/32 of the work, as Rails and Django lower their hash cost in tests.
  test: { N: 2 ** 10, r: 8, p: 1 },
} as const;

/** `standard` in every deployment; `test` only in automated tests (refused in production mode). */
export type PasswordCost = keyof typeof COSTS;
const KEY_LENGTH = 32;
const MAX_MEM = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, options: ScryptOptions, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, { ...options, maxmem: MAX_MEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * Hashes a password as `scrypt$N$r$p$<salt b64url>$<key b64url>`.
 *
 * @example
 * ```ts
 * const stored = await hashPassword('correct horse battery staple');
 * await verifyPassword('correct horse battery staple', stored); // true
 * ```
 */
export async function hashPassword(password: string, cost: PasswordCost = 'standard'): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = COSTS[cost];
  const key = await derive(password, salt, { N, r, p }, KEY_LENGTH);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time check of a password against a stored hash; false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, rr, pp, saltText, keyText] = parts;
  const [N, r, p] = [n, rr, pp].map(Number);
  if (saltText === undefined || keyText === undefined) return false;
  const salt = Buffer.from(saltText, 'base64url');
  const expected = Buffer.from(keyText, 'base64url');
  if (!N || !r || !p || expected.length === 0) return false;
  const key = await derive(password, salt, { N, r, p }, expected.length);
  return timingSafeEqual(key, expected);
}

const dummyHashes = new Map<PasswordCost, Promise<string>>();

/**
 * A hash of a random password at `cost` (made once per process): verified against when the login
 * is unknown, so timing tells nothing.
 */
export function dummyHash(cost: PasswordCost = 'standard'): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = hashPassword(randomBytes(16).toString('hex'), cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}

// The most common passwords of 8+ characters in public breach corpora (NIST SP 800-63B §5.1.1.2:
// refuse values known to be commonly used). Short on purpose: a shop has no breach list to ship.
const COMMON = new Set([
  '12345678',
  '123456789',
  '1234567890',
  '12341234',
  '11111111',
  '00000000',
  '87654321',
  '88888888',
  'password',
  'password1',
  'password123',
  'passw0rd',
  'qwertyui',
  'qwerty123',
  'qwertyuiop',
  '1q2w3e4r',
  '1qaz2wsx',
  'iloveyou',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'welcome1',
  'abcd1234',
  'aa123456',
  'abc12345',
  'zaq12wsx',
  'asdfghjk',
  'letmein1',
  'changeme',
]);

/**
 * True for a password that is easy to guess: a well-known one, a single repeated character, or the
 * member's own login (or its e-mail local part) or name. Compared case-insensitively.
 */
export function isWeakPassword(password: string, login: string, displayName: string): boolean {
  const p = password.normalize('NFKC').toLowerCase();
  if (COMMON.has(p) || new Set(p).size <= 1) return true;
  const own = [login, login.split('@')[0] ?? '', displayName].map((s) => s.normalize('NFKC').toLowerCase());
  return own.some((s) => s.length > 0 && p === s);
}
