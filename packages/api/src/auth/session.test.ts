import { describe, expect, test } from "vitest";
import { bearerToken, generateSessionToken, hashSessionToken } from "./session.ts";

describe("session tokens", () => {
  test.each([
    ["Bearer abc.DEF_123-", "abc.DEF_123-"],
    ["bearer  token ", "token"],
    ["Basic dXNlcjpwYXNz", null],
    ["Bearer", null],
    ["Bearer two parts", null],
    ["", null],
    [undefined, null],
  ])("the bearer token in %j is %j", (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  test("tokens are random and only their SHA-256 is stored", () => {
    const a = generateSessionToken();
    const b = generateSessionToken();
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(43);
    expect(hashSessionToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSessionToken(a)).toBe(hashSessionToken(a));
    expect(hashSessionToken(a)).not.toContain(a);
  });
});
