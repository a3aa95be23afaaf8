import { describe, expect, test } from "vitest";
import { loadApiEnv } from "./env.ts";

describe("DN_TRUSTED_PROXIES", () => {
  test("unset means loopback only (the default the tRPC handler applies)", () => {
    expect(loadApiEnv({}).DN_TRUSTED_PROXIES).toBeUndefined();
    expect(loadApiEnv({ DN_TRUSTED_PROXIES: " " }).DN_TRUSTED_PROXIES).toBeUndefined();
  });

  test("takes a list of addresses and CIDR ranges, or a hop count", () => {
    expect(
      loadApiEnv({ DN_TRUSTED_PROXIES: "172.18.0.0/16, loopback" }).DN_TRUSTED_PROXIES,
    ).toMatchObject({
      kind: "list",
      description: "172.18.0.0/16, loopback",
    });
    expect(loadApiEnv({ DN_TRUSTED_PROXIES: "2" }).DN_TRUSTED_PROXIES).toEqual({
      kind: "hops",
      hops: 2,
    });
  });

  test("a bad setting is refused at start-up, naming the variable and the entry", () => {
    expect(() => loadApiEnv({ DN_TRUSTED_PROXIES: "10.0.0.0/8, proxy.internal" })).toThrow(
      /DN_TRUSTED_PROXIES "proxy\.internal" is not an IP address or CIDR range/,
    );
    expect(() => loadApiEnv({ DN_TRUSTED_PROXIES: "10.0.0.0/40" })).toThrow(/DN_TRUSTED_PROXIES/);
  });
});
