/**
 * Password hashing with node:crypto scrypt. Lives beside the users table because the stored
 * format belongs to the store: the seed and test builders create users who can log in, and the
 * API verifies against the same format. Parameters are kept in each hash so they can be raised.
 */
import {
  randomBytes,
  type ScryptOptions,
  scrypt as scryptCallback,
  timingSafeEqual,
} from "node:crypto";

/**
 * OWASP Password Storage Cheat Sheet: N=2^17, r=8, p=1 needs 128 MiB per hash, too much for a
 * small API under concurrent logins, so we use its listed equivalent N=2^15 (32 MiB), r=8, p=3:
 * a quarter of the memory, three times the sequential work.
 */
const N = 2 ** 15;
const R = 8;
const P = 3;
const KEY_LENGTH = 64;
const SALT_BYTES = 16;

/**
 * Upper bounds for parameters read back from a stored hash, so a corrupted or planted row cannot
 * make one login allocate gigabytes or run for minutes (2^20 * 16 * 128 bytes = 2 GiB would not).
 */
const MAX_N = 2 ** 20;
const MAX_R = 16;
const MAX_P = 16;
const MAX_KEY_LENGTH = 1024;

function scrypt(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Memory scrypt needs for these parameters, with headroom (128 * N * r bytes). */
function maxmemFor(n: number, r: number): number {
  return 128 * n * r * 2;
}

interface ParsedHash {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function isIntegerIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** The parts of `scrypt$N$r$p$salt$key`, or null when any part is missing or out of range. */
function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  // Number("") is 0 and Number("0x10") is 16: insist on plain decimal digits.
  if (!parts.slice(1, 4).every((part) => /^[1-9]\d{0,9}$/.test(part ?? ""))) return null;
  const [n = 0, r = 0, p = 0] = parts.slice(1, 4).map(Number);
  // scrypt requires N to be a power of two greater than 1.
  if (!isIntegerIn(n, 2, MAX_N) || (n & (n - 1)) !== 0) return null;
  if (!isIntegerIn(r, 1, MAX_R) || !isIntegerIn(p, 1, MAX_P)) return null;
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const key = Buffer.from(parts[5] ?? "", "base64url");
  if (salt.length === 0 || key.length === 0 || key.length > MAX_KEY_LENGTH) return null;
  return { n, r, p, salt, key };
}

/** `scrypt$N$r$p$<salt base64url>$<key base64url>` with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: maxmemFor(N, R) });
  return ["scrypt", N, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/**
 * True when `password` matches `stored`, whatever parameters `stored` was made with (older,
 * weaker hashes still verify until login rehashes them); false for a wrong password or a
 * malformed hash.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const { n, r, p, salt, key: expected } = parsed;
  const key = await scrypt(password, salt, expected.length, {
    N: n,
    r,
    p,
    maxmem: maxmemFor(n, r),
  });
  return timingSafeEqual(key, expected);
}

/**
 * True when `stored` should be replaced by a fresh `hashPassword` after a successful login:
 * malformed, or any of N, r, p, salt or key length below the current ones.
 */
export function passwordNeedsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  return (
    parsed.n < N ||
    parsed.r < R ||
    parsed.p < P ||
    parsed.salt.length < SALT_BYTES ||
    parsed.key.length < KEY_LENGTH
  );
}
