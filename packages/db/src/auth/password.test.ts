import { describe, expect, test } from "vitest";
import { hashPassword, verifyPassword } from "./password.ts";

describe("password hashing", () => {
  test("a hash verifies its password and no other", async () => {
    const hash = await hashPassword("dn-demo-2026");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword("dn-demo-2026", hash)).toBe(true);
    expect(await verifyPassword("dn-demo-2027", hash)).toBe(false);
  });

  test("the same password hashes differently each time (per-user salt)", async () => {
    const [a, b] = await Promise.all([hashPassword("same"), hashPassword("same")]);
    expect(a).not.toBe(b);
  });

  test.each([
    "",
    "plain",
    "scrypt$1$2$3",
    "bcrypt$32768$8$1$c2FsdA$a2V5",
    "scrypt$x$8$1$c2FsdA$a2V5",
  ])("a malformed stored hash %j never verifies", async (stored) => {
    expect(await verifyPassword("anything", stored)).toBe(false);
  });
});
