import { describe, expect, test } from "vitest";
import { clientAddressOf } from "./client-address.ts";

function request(peer: string | undefined, forwarded?: string) {
  return {
    headers: forwarded === undefined ? {} : { "x-forwarded-for": forwarded },
    socket: { remoteAddress: peer },
  } as Parameters<typeof clientAddressOf>[0];
}

describe("clientAddressOf", () => {
  test("a loopback peer (the admin app) may forward the browser's address", () => {
    expect(clientAddressOf(request("127.0.0.1", "203.0.113.7, 10.0.0.1"))).toBe("203.0.113.7");
    expect(clientAddressOf(request("::1", "2001:db8::1"))).toBe("2001:db8::1");
    expect(clientAddressOf(request("::ffff:127.0.0.1", "198.51.100.2"))).toBe("198.51.100.2");
  });

  test("anyone else is their own socket address, whatever they claim", () => {
    expect(clientAddressOf(request("198.51.100.9", "203.0.113.7"))).toBe("198.51.100.9");
    expect(clientAddressOf(request("127.0.0.1"))).toBe("127.0.0.1");
    expect(clientAddressOf(request(undefined))).toBeNull();
  });
});
