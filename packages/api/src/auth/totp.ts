/**
 * The pure parts of two-factor authentication: TOTP secrets, provisioning URI and QR code,
 * code verification with replay protection, and recovery codes. No I/O and no clock: every
 * instant comes from the caller, so the same input always gives the same answer.
 */
import { createHash, randomBytes } from "node:crypto";
import { generateSecret, generateSync, generateURI, verifySync } from "otplib";
import QRCode from "qrcode";
import { badRequest } from "../errors.ts";

/** Authenticator-app defaults; the URI omits them, so apps fall back to exactly these. */
const TOTP_OPTIONS = { algorithm: "sha1", digits: 6, period: 30 } as const;
const PERIOD_SECONDS = TOTP_OPTIONS.period;
const SECRET_BYTES = 20;
/** 20 bytes in unpadded base32, the only form generateTotpSecret produces and we store. */
const SECRET_PATTERN = /^[A-Z2-7]{32}$/;
/** The longest URI otplib's parser (and so most apps) accept. */
const MAX_URI_LENGTH = 2048;
const MAX_LABEL_PART_LENGTH = 200;
/** Generous for "123 456" style typing, small enough that normalising hostile input is cheap. */
const MAX_CODE_INPUT_LENGTH = 64;

export const DEFAULT_TOTP_ISSUER = "dn";

export type TotpVerification = { ok: true; step: number } | { ok: false };

export function generateTotpSecret(): string {
  return generateSecret({ length: SECRET_BYTES });
}

/** The otpauth:// URI an authenticator app scans to enrol `accountName` under `issuer`. */
export function totpUri({
  secret,
  accountName,
  issuer = DEFAULT_TOTP_ISSUER,
}: {
  secret: string;
  accountName: string;
  issuer?: string;
}): string {
  requireSecret(secret);
  requireLabelPart(accountName, "accountName");
  requireLabelPart(issuer, "issuer");
  return generateURI({ ...TOTP_OPTIONS, secret, label: accountName, issuer });
}

/** The URI as an inline SVG QR code; rendered locally, nothing leaves the server. */
export function totpQrSvg(uri: string): Promise<string> {
  if (typeof uri !== "string" || !uri.startsWith("otpauth://totp/")) {
    throw badRequest("must be an otpauth://totp/ URI", "uri");
  }
  if (uri.length > MAX_URI_LENGTH) {
    throw badRequest(`must be at most ${MAX_URI_LENGTH} characters`, "uri");
  }
  return QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

/** The six digits of a typed code with spaces removed, or null when it cannot be a code. */
export function normalizeTotpCode(input: string): string | null {
  if (typeof input !== "string" || input.length > MAX_CODE_INPUT_LENGTH) return null;
  const code = input.replace(/\s+/g, "");
  return /^[0-9]{6}$/.test(code) ? code : null;
}

/**
 * Checks `code` against the steps just before, at and just after `at` (one step of clock drift
 * either way). A step at or before `lastUsedStep` is refused so a code works once; on success the
 * caller stores the returned step as the new `lastUsedStep`.
 */
export function verifyTotp({
  secret,
  code,
  at,
  lastUsedStep,
}: {
  secret: string;
  code: string;
  at: Date;
  lastUsedStep: number | null;
}): TotpVerification {
  requireSecret(secret);
  const epoch = epochSeconds(at);
  if (lastUsedStep !== null && !(Number.isSafeInteger(lastUsedStep) && lastUsedStep >= 0)) {
    throw new RangeError("lastUsedStep: must be a non-negative integer or null");
  }
  const token = normalizeTotpCode(code);
  if (token === null) return { ok: false };
  // otplib throws when afterTimeStep lies beyond the window; every step in it is used up anyway.
  const lastStepInWindow = Math.floor(epoch / PERIOD_SECONDS) + 1;
  if (lastUsedStep !== null && lastUsedStep >= lastStepInWindow) return { ok: false };
  const result = verifySync({
    ...TOTP_OPTIONS,
    secret,
    token,
    // Always pass the epoch: otplib falls back to its own clock without one.
    epoch,
    epochTolerance: PERIOD_SECONDS,
    ...(lastUsedStep === null ? {} : { afterTimeStep: lastUsedStep }),
  });
  // The result type also covers HOTP, which has no time step; a TOTP match always carries one.
  return result.valid && "timeStep" in result ? { ok: true, step: result.timeStep } : { ok: false };
}

/** The code an authenticator app shows at `at`; for tests and fixtures of the login flow. */
export function totpCodeAt(secret: string, at: Date): string {
  requireSecret(secret);
  return generateSync({ ...TOTP_OPTIONS, secret, epoch: epochSeconds(at) });
}

/**
 * Crockford base32: no I, L, O or U, so codes read aloud or copied by hand survive; 32 symbols
 * make each byte's low five bits a uniform pick.
 */
const RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const RECOVERY_GROUP_LENGTH = 5;
/** 10 symbols of 5 bits: 50 bits per code. */
const RECOVERY_CODE_LENGTH = 2 * RECOVERY_GROUP_LENGTH;
const RECOVERY_CODE_PATTERN = /^[0-9a-hjkmnp-tv-z]{10}$/;
const MAX_RECOVERY_CODES = 100;
const MAX_RECOVERY_INPUT_LENGTH = 64;

/** Fresh recovery codes like `7hq2m-x0c9d`, all distinct, in the form normalizeRecoveryCode gives. */
export function generateRecoveryCodes(count = 10): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_RECOVERY_CODES) {
    throw new RangeError(`count: must be an integer from 1 to ${MAX_RECOVERY_CODES}`);
  }
  const codes = new Set<string>();
  while (codes.size < count) {
    const symbols = Array.from(
      randomBytes(RECOVERY_CODE_LENGTH),
      (byte) => RECOVERY_ALPHABET[byte & 31],
    ).join("");
    codes.add(formatRecoveryCode(symbols));
  }
  return [...codes];
}

/**
 * The canonical `xxxxx-xxxxx` form of a typed recovery code, or null when it cannot be one. Case,
 * spaces and dashes are ignored, and I/L and O are read as the 1 and 0 they are mistaken for.
 */
export function normalizeRecoveryCode(input: string): string | null {
  if (typeof input !== "string" || input.length > MAX_RECOVERY_INPUT_LENGTH) return null;
  const symbols = input
    .toLowerCase()
    .replace(/[\s\-\u2010-\u2015\u2212]+/g, "")
    .replace(/[il]/g, "1")
    .replace(/o/g, "0");
  return RECOVERY_CODE_PATTERN.test(symbols) ? formatRecoveryCode(symbols) : null;
}

/** SHA-256 hex of the normalised code, so loosely typed input finds the stored hash. */
export function hashRecoveryCode(code: string): string {
  const normalized = normalizeRecoveryCode(code);
  if (normalized === null) {
    throw badRequest("is not a recovery code (10 letters and digits, like abcde-12345)", "code");
  }
  return createHash("sha256").update(normalized, "utf8").digest("hex");
}

function formatRecoveryCode(symbols: string): string {
  return `${symbols.slice(0, RECOVERY_GROUP_LENGTH)}-${symbols.slice(RECOVERY_GROUP_LENGTH)}`;
}

function requireSecret(secret: string): void {
  if (typeof secret !== "string" || !SECRET_PATTERN.test(secret)) {
    throw badRequest("must be 32 base32 characters (A-Z, 2-7), as generated", "secret");
  }
}

/** Issuer and account name share the URI label `issuer:account`, so neither may hold a colon. */
function requireLabelPart(value: string, field: string): void {
  if (typeof value !== "string" || value.trim() === "") {
    throw badRequest("must not be empty", field);
  }
  if (value.length > MAX_LABEL_PART_LENGTH) {
    throw badRequest(`must be at most ${MAX_LABEL_PART_LENGTH} characters`, field);
  }
  if (value.includes(":")) throw badRequest("must not contain a colon", field);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw badRequest("must not contain control characters", field);
  }
}

/** Whole Unix seconds of `at`, which must be a real instant no earlier than 1970. */
function epochSeconds(at: Date): number {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError("at: must be a valid Date no earlier than 1970-01-01");
  }
  return Math.floor(ms / 1000);
}
