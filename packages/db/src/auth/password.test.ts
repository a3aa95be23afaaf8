import { randomBytes, scryptSync } from "node:crypto";
import { describe, expect, test } from "vitest";
import { hashPassword, passwordNeedsRehash, verifyPassword } from "./password.ts";

/** A hash in the format this module wrote before p was raised from 1 to 3. */
function legacyHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 64, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", 2 ** 15, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
}

describe("password hashing", () => {
  test("a hash verifies its password and no other", async () => {
    const hash = await hashPassword("dn-demo-2026");
    expect(hash).toMatch(/^scrypt\$32768\$8\$3\$[\w-]{22}\$[\w-]{86}$/);
    expect(await verifyPassword("dn-demo-2026", hash)).toBe(true);
    expect(await verifyPassword("dn-demo-2027", hash)).toBe(false);
  });

  test("the same password hashes differently each time (per-user salt)", async () => {
    const [a, b] = await Promise.all([hashPassword("same"), hashPassword("same")]);
    expect(a).not.toBe(b);
  });

  test("a hash made with the older parameters still verifies", async () => {
    const old = legacyHash("correct horse battery staple");
    expect(old).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("correct horse battery staple", old)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", old)).toBe(false);
  });

  test.each([
    "",
    "plain",
    "scrypt$1$2$3",
    "bcrypt$32768$8$1$c2FsdA$a2V5",
    "scrypt$x$8$1$c2FsdA$a2V5",
    "scrypt$0x8000$8$1$c2FsdA$a2V5",
    "scrypt$32767$8$1$c2FsdA$a2V5",
    "scrypt$2097152$8$1$c2FsdA$a2V5",
    "scrypt$32768$0$1$c2FsdA$a2V5",
    "scrypt$32768$8$1000$c2FsdA$a2V5",
    "scrypt$32768$8$1$$a2V5",
    "scrypt$32768$8$1$c2FsdA$",
  ])("a malformed stored hash %j never verifies and needs a rehash", async (stored) => {
    expect(await verifyPassword("anything", stored)).toBe(false);
    expect(passwordNeedsRehash(stored)).toBe(true);
  });
});

describe("rehash detection", () => {
  test("a hash made now does not need a rehash", async () => {
    expect(passwordNeedsRehash(await hashPassword("dn-demo-2026"))).toBe(false);
  });

  test("a hash made with p=1 needs a rehash", () => {
    expect(passwordNeedsRehash(legacyHash("dn-demo-2026"))).toBe(true);
  });

  const salt = randomBytes(16).toString("base64url");
  const key = randomBytes(64).toString("base64url");
  test.each([
    { case: "N below 2^15", stored: `scrypt$16384$8$3$${salt}$${key}`, needs: true },
    { case: "r below 8", stored: `scrypt$32768$4$3$${salt}$${key}`, needs: true },
    { case: "p below 3", stored: `scrypt$32768$8$2$${salt}$${key}`, needs: true },
    { case: "a short salt", stored: `scrypt$32768$8$3$c2FsdA$${key}`, needs: true },
    { case: "a short key", stored: `scrypt$32768$8$3$${salt}$a2V5`, needs: true },
    { case: "the current parameters", stored: `scrypt$32768$8$3$${salt}$${key}`, needs: false },
    { case: "stronger parameters", stored: `scrypt$65536$8$4$${salt}$${key}`, needs: false },
  ])("$case: needs rehash is $needs", ({ stored, needs }) => {
    expect(passwordNeedsRehash(stored)).toBe(needs);
  });
});
