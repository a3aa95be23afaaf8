import { describe, expect, test } from "vitest";
import { healthResponse } from "./health.server.ts";

describe("healthResponse", () => {
  test("answers 200 with a JSON status and is never cached", async () => {
    const response = healthResponse("GET");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok" });
  });

  test("keeps the security headers every admin response carries", () => {
    const headers = healthResponse("GET").headers;
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("x-frame-options")).toBe("DENY");
    expect(headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  test("a HEAD request gets the status without a body", async () => {
    const response = healthResponse("HEAD");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });
});
