import { describe, expect, test } from "vitest";
import { clientAddressOf, parseTrustedProxies, resolveClientAddress } from "./client-address.ts";

function request(peer: string | undefined, forwarded?: string) {
  return {
    headers: forwarded === undefined ? {} : { "x-forwarded-for": forwarded },
    socket: { remoteAddress: peer },
  } as Parameters<typeof clientAddressOf>[0];
}

describe("clientAddressOf with the default (loopback only)", () => {
  test("a loopback peer (the admin app) may forward the browser's address", () => {
    expect(clientAddressOf(request("127.0.0.1", "203.0.113.7"))).toBe("203.0.113.7");
    expect(clientAddressOf(request("::1", "2001:db8::1"))).toBe("2001:db8::1");
    expect(clientAddressOf(request("::ffff:127.0.0.1", "198.51.100.2"))).toBe("198.51.100.2");
  });

  test("anyone else is their own socket address, whatever they claim", () => {
    expect(clientAddressOf(request("198.51.100.9", "203.0.113.7"))).toBe("198.51.100.9");
    expect(clientAddressOf(request("::ffff:198.51.100.9", "203.0.113.7"))).toBe("198.51.100.9");
    expect(clientAddressOf(request("127.0.0.1"))).toBe("127.0.0.1");
    expect(clientAddressOf(request(undefined))).toBeNull();
  });

  test("an address the browser put in front of the chain is not believed", () => {
    // The browser sent "1.2.3.4"; the local proxy appended the address it really saw.
    expect(clientAddressOf(request("127.0.0.1", "1.2.3.4, 203.0.113.7"))).toBe("203.0.113.7");
  });
});

describe("a list of trusted proxies (addresses and CIDR ranges)", () => {
  const compose = parseTrustedProxies("172.18.0.0/16, 10.1.2.3, fd00::/8");

  test("a forged X-Forwarded-For from an untrusted peer is ignored", () => {
    expect(clientAddressOf(request("198.51.100.9", "203.0.113.7"), compose)).toBe("198.51.100.9");
    // Loopback is no longer trusted once a list is given without it.
    expect(clientAddressOf(request("127.0.0.1", "203.0.113.7"), compose)).toBe("127.0.0.1");
  });

  test("from a trusted peer, the right-most address that is not a trusted proxy is the client", () => {
    expect(clientAddressOf(request("172.18.0.4", "203.0.113.7"), compose)).toBe("203.0.113.7");
    expect(clientAddressOf(request("172.18.0.4", "6.6.6.6, 203.0.113.7, 10.1.2.3"), compose)).toBe(
      "203.0.113.7",
    );
    expect(clientAddressOf(request("fd00::5", "2001:db8::7"), compose)).toBe("2001:db8::7");
    expect(clientAddressOf(request("::ffff:172.18.0.4", "203.0.113.7"), compose)).toBe(
      "203.0.113.7",
    );
  });

  test("when every hop is a trusted proxy, the furthest one is the client", () => {
    expect(clientAddressOf(request("172.18.0.4", "10.1.2.3"), compose)).toBe("10.1.2.3");
    expect(clientAddressOf(request("172.18.0.4"), compose)).toBe("172.18.0.4");
  });

  test("a malformed entry ends the walk at the last address a trusted proxy reported", () => {
    expect(clientAddressOf(request("172.18.0.4", "not-an-ip, 10.1.2.3"), compose)).toBe("10.1.2.3");
    expect(clientAddressOf(request("172.18.0.4", "<script>"), compose)).toBe("172.18.0.4");
  });

  test("loopback may be listed by name beside other ranges", () => {
    const both = parseTrustedProxies("loopback, 10.0.0.0/8");
    expect(resolveClientAddress("::1", "203.0.113.7", both)).toBe("203.0.113.7");
    expect(resolveClientAddress("10.9.9.9", "203.0.113.7", both)).toBe("203.0.113.7");
    expect(resolveClientAddress("11.0.0.1", "203.0.113.7", both)).toBe("11.0.0.1");
  });
});

describe("a hop count", () => {
  test("1: the peer is the proxy and the address it appended is the client", () => {
    const one = parseTrustedProxies("1");
    expect(resolveClientAddress("198.51.100.9", "6.6.6.6, 203.0.113.7", one)).toBe("203.0.113.7");
    expect(resolveClientAddress("198.51.100.9", undefined, one)).toBe("198.51.100.9");
  });

  test("2: two proxies in a row; whatever the browser added further left is ignored", () => {
    const two = parseTrustedProxies("2");
    expect(resolveClientAddress("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.1", two)).toBe(
      "203.0.113.7",
    );
    // Fewer hops than configured: the furthest address there is.
    expect(resolveClientAddress("10.0.0.2", "203.0.113.7", two)).toBe("203.0.113.7");
  });

  test("0: nobody is a proxy, the peer is always the client", () => {
    expect(resolveClientAddress("127.0.0.1", "203.0.113.7", parseTrustedProxies("0"))).toBe(
      "127.0.0.1",
    );
  });
});

describe("parseTrustedProxies", () => {
  test("unset or blank means loopback only", () => {
    for (const value of [undefined, "", "  "]) {
      const trusted = parseTrustedProxies(value);
      expect(resolveClientAddress("127.0.0.1", "203.0.113.7", trusted)).toBe("203.0.113.7");
      expect(resolveClientAddress("10.0.0.1", "203.0.113.7", trusted)).toBe("10.0.0.1");
    }
  });

  test.each([
    ["a host name", "proxy.internal", /"proxy\.internal" is not an IP address or CIDR range/],
    ["a prefix too long", "10.0.0.0/33", /"10\.0\.0\.0\/33"/],
    ["an IPv6 prefix too long", "fd00::/129", /"fd00::\/129"/],
    ["a prefix that is not a number", "10.0.0.0/x", /"10\.0\.0\.0\/x"/],
    ["two slashes", "10.0.0.0/8/8", /"10\.0\.0\.0\/8\/8"/],
    ["an empty entry", "10.0.0.1,,10.0.0.2", /empty entry/],
    ["a negative hop count", "-1", /"-1"/],
    ["a hop count too large", "1000", /at most 32/],
    ["a hop count beside addresses", "1, 10.0.0.1", /"1" is not an IP address/],
  ])("refuses %s, naming the variable", (_name, value, message) => {
    expect(() => parseTrustedProxies(value)).toThrow(/^DN_TRUSTED_PROXIES: /);
    expect(() => parseTrustedProxies(value)).toThrow(message);
  });
});
