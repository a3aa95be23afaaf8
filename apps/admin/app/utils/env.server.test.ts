import { describe, expect, test } from "vitest";
import { DEV_SESSION_SECRET, parseAdminEnv } from "./env.server.ts";

const SECRET = "a-long-random-production-secret-0123";

describe("the admin app's environment", () => {
  test("a production start refuses the built-in development secret", () => {
    expect(() => parseAdminEnv({ NODE_ENV: "production" })).toThrow(
      /DN_SESSION_SECRET: must be set in production/,
    );
    expect(() =>
      parseAdminEnv({ NODE_ENV: "production", DN_SESSION_SECRET: DEV_SESSION_SECRET }),
    ).toThrow(/DN_SESSION_SECRET/);
  });

  test("cookies are Secure by default in production, and only there", () => {
    expect(
      parseAdminEnv({ NODE_ENV: "production", DN_SESSION_SECRET: SECRET }).DN_COOKIE_SECURE,
    ).toBe(true);
    expect(parseAdminEnv({ NODE_ENV: "development" }).DN_COOKIE_SECURE).toBe(false);
    expect(
      parseAdminEnv({
        NODE_ENV: "production",
        DN_SESSION_SECRET: SECRET,
        DN_COOKIE_SECURE: "false",
      }).DN_COOKIE_SECURE,
    ).toBe(false);
  });

  test("bad values are named", () => {
    expect(() => parseAdminEnv({ DN_SESSION_SECRET: "short", DN_COOKIE_SECURE: "yes" })).toThrow(
      /DN_SESSION_SECRET: DN_SESSION_SECRET must be at least 16 characters\nDN_COOKIE_SECURE/,
    );
  });

  test("the API's public URL defaults to DN_API_URL, loses a trailing slash, and must be http(s)", () => {
    expect(parseAdminEnv({}).DN_PUBLIC_API_URL).toBe("http://127.0.0.1:3001");
    expect(parseAdminEnv({ DN_API_URL: "http://10.0.0.5:3001/" }).DN_PUBLIC_API_URL).toBe(
      "http://10.0.0.5:3001",
    );
    expect(
      parseAdminEnv({
        DN_API_URL: "http://10.0.0.5:3001",
        DN_PUBLIC_API_URL: "https://api.dn.example.org/",
      }).DN_PUBLIC_API_URL,
    ).toBe("https://api.dn.example.org");
    for (const bad of ["api.dn.example.org", "javascript:alert(1)", "ftp://api.example.org"]) {
      expect(() => parseAdminEnv({ DN_PUBLIC_API_URL: bad }), bad).toThrow(
        /DN_PUBLIC_API_URL: DN_PUBLIC_API_URL must be an http\(s\) URL/,
      );
    }
  });
});
