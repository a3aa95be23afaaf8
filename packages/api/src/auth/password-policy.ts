/**
 * The rules a new password must meet (OWASP ASVS v5, V6): length over composition. No
 * "one digit, one symbol" rules; every character is allowed, spaces included. Refused are what an
 * attacker tries first: the most common passwords, the user's own email or name, one character
 * or a short pattern repeated, and runs such as "123456789012". Lengths are Unicode code points
 * after NFKC normalisation, so "é" typed either way counts as one character.
 */
import { readFileSync } from "node:fs";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * Above this many UTF-16 units a string cannot normalise down to 128 code points (NFKC composes at
 * most a handful of code points into one), so it is refused before normalising megabytes.
 */
const MAX_RAW_LENGTH = 4096;

/** Context words shorter than this are too likely to occur by chance ("ann" in "planning"). */
const MIN_CONTEXT_WORD_LENGTH = 4;

/** Orders people type in: a password that walks one of these, forwards or back, is a sequence. */
const SEQUENCES = ["0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm"];

let common: ReadonlySet<string> | null = null;

/**
 * The shipped list of the 10,000 most common passwords, lower-cased. Read on first use, not at
 * import, so processes that never set a password never pay for it.
 */
export function commonPasswords(): ReadonlySet<string> {
  if (common) return common;
  const text = readFileSync(new URL("./common-passwords.txt", import.meta.url), "utf8");
  const entries = new Set<string>();
  for (const line of text.split("\n")) {
    const entry = line.replace(/\r$/, "");
    if (entry === "" || entry.startsWith("#")) continue;
    entries.add(entry.normalize("NFKC").toLowerCase());
  }
  common = entries;
  return entries;
}

/** The length the policy counts: code points after NFKC normalisation. */
export function passwordLength(password: string): number {
  return [...password.normalize("NFKC")].length;
}

/** True when every code point is the next (or every one the previous) in one of SEQUENCES. */
function isSequence(codePoints: readonly string[]): boolean {
  return SEQUENCES.some((order) =>
    [1, -1].some((step) =>
      codePoints.every((char, i) => {
        if (!order.includes(char)) return false;
        const before = codePoints[i - 1];
        if (before === undefined) return true;
        // Digits wrap, so "123456789012" counts as one run.
        return order[(order.indexOf(before) + step + order.length) % order.length] === char;
      }),
    ),
  );
}

/** The shortest unit that, repeated, makes up the whole password (itself when none does). */
function repeatedUnit(codePoints: readonly string[]): number {
  const whole = codePoints.join("");
  for (let size = 1; size <= codePoints.length / 2; size += 1) {
    if (codePoints.length % size !== 0) continue;
    if (
      codePoints
        .slice(0, size)
        .join("")
        .repeat(codePoints.length / size) === whole
    )
      return size;
  }
  return codePoints.length;
}

/** The words of an email's local part and a name worth refusing inside a password. */
function contextWords(text: string): string[] {
  return text
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => [...word].length >= MIN_CONTEXT_WORD_LENGTH);
}

/**
 * The problem with `password` as a new password for this user, as a message to show after the
 * field's name ("Password must be at least 12 characters"), or null when it is acceptable.
 */
export function checkNewPassword(
  password: string,
  context: { email: string; name?: string },
): string | null {
  if (typeof password !== "string") return "must be text";
  if (password.length > MAX_RAW_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const normalized = password.normalize("NFKC");
  const codePoints = [...normalized];
  if (codePoints.length < PASSWORD_MIN_LENGTH) {
    return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  }
  if (codePoints.length > PASSWORD_MAX_LENGTH) {
    return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  }

  const lower = normalized.toLowerCase();
  const lowerPoints = [...lower];
  if (commonPasswords().has(lower)) return "is one of the most common passwords; choose another";

  const unit = repeatedUnit(lowerPoints);
  if (unit === 1) return "must not be one character repeated";
  // A repeated unit adds little over the unit alone, and the unit is shorter than the minimum.
  if (unit < PASSWORD_MIN_LENGTH) return "must not be a short pattern repeated";
  if (isSequence(lowerPoints)) return "must not be an obvious sequence such as 123456 or abcdef";

  const email = (typeof context.email === "string" ? context.email : "")
    .normalize("NFKC")
    .toLowerCase();
  const at = email.lastIndexOf("@");
  const local = at < 0 ? email : email.slice(0, at);
  const emailWords = [email, local, ...contextWords(local)].filter(
    (word) => [...word].length >= MIN_CONTEXT_WORD_LENGTH,
  );
  if (emailWords.some((word) => lower.includes(word))) {
    return "must not contain your email address";
  }

  const name = (typeof context.name === "string" ? context.name : "")
    .normalize("NFKC")
    .toLowerCase();
  if (contextWords(name).some((word) => lower.includes(word))) {
    return "must not contain your name";
  }
  return null;
}
