import { parseTrustedProxies } from "@dn/api/client-address";
import { describe, expect, test } from "vitest";
import { clientAddressOf } from "./client-address.server.ts";
import { parseAdminEnv } from "./env.server.ts";

function requestWith(forwarded?: string): Request {
  return new Request("http://admin.test/login", {
    headers: forwarded ? { "x-forwarded-for": forwarded } : {},
  });
}

describe("the browser's address the admin app forwards to the API", () => {
  test("a browser talking to the admin app directly is its socket address, whatever it claims", () => {
    const loopback = parseTrustedProxies(undefined);
    expect(
      clientAddressOf(requestWith("203.0.113.7"), { peerAddress: "198.51.100.9" }, loopback),
    ).toBe("198.51.100.9");
    expect(clientAddressOf(requestWith(), { peerAddress: "::ffff:198.51.100.9" }, loopback)).toBe(
      "198.51.100.9",
    );
  });

  test("behind a trusted proxy, the right-most address it did not add itself", () => {
    const proxies = parseTrustedProxies("172.18.0.0/16");
    expect(
      clientAddressOf(
        requestWith("6.6.6.6, 203.0.113.7, 172.18.0.2"),
        { peerAddress: "172.18.0.3" },
        proxies,
      ),
    ).toBe("203.0.113.7");
    expect(
      clientAddressOf(requestWith("203.0.113.7"), { peerAddress: "172.19.0.3" }, proxies),
    ).toBe("172.19.0.3");
  });

  test("without a known peer (a server that passes none) nothing is forwarded", () => {
    expect(clientAddressOf(requestWith("203.0.113.7"), undefined)).toBeNull();
    expect(clientAddressOf(requestWith("203.0.113.7"), {})).toBeNull();
  });
});

describe("DN_TRUSTED_PROXIES in the admin app's environment", () => {
  test("defaults to loopback; a list or a hop count is read", () => {
    expect(parseAdminEnv({}).DN_TRUSTED_PROXIES).toMatchObject({ kind: "list" });
    expect(parseAdminEnv({ DN_TRUSTED_PROXIES: "1" }).DN_TRUSTED_PROXIES).toEqual({
      kind: "hops",
      hops: 1,
    });
  });

  test("a bad setting is refused by name", () => {
    expect(() => parseAdminEnv({ DN_TRUSTED_PROXIES: "10.0.0.0/8,proxy" })).toThrow(
      /DN_TRUSTED_PROXIES: DN_TRUSTED_PROXIES "proxy" is not an IP address or CIDR range/,
    );
  });
});
