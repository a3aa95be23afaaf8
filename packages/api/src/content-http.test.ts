import type { DbHandle } from "@dn/db";
import { createTestDb } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { buildOrgWorld, type OrgWorld, serveTrpc, type TrpcTestServer } from "./test-support.ts";

/** Public comment submission over real HTTP: the address the limit counts, and the 429. */
describe("public comments over HTTP", () => {
  let handle: DbHandle;
  let server: TrpcTestServer;
  let base: string;
  let world: OrgWorld;

  beforeEach(async () => {
    handle = await createTestDb({ dialect: "sqlite" });
    world = await buildOrgWorld(handle.db, "Harbor");
    const article = await world.as.manager.content.articles.create({
      slug: "aftercare",
      title: "Aftercare",
      summary: "S",
      blocks: [],
    });
    await world.as.manager.content.articles.publish({ id: article.id });
    server = await serveTrpc(handle.db);
    base = server.base;
  });

  afterEach(async () => {
    await server.close();
    await handle.destroy();
  });

  function submit(forwardedFor: string) {
    return fetch(`${base}/trpc/content.comments.submit`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
      body: JSON.stringify({
        organizationId: world.organization.id,
        articleSlug: "aftercare",
        displayName: "Sam",
        body: "Thanks",
      }),
    });
  }

  test("the admin app's forwarded address is counted; the sixth from one address is a 429", async () => {
    for (let i = 0; i < 5; i += 1) expect((await submit("203.0.113.9")).status).toBe(200);
    const limited = await submit("203.0.113.9");
    expect(limited.status).toBe(429);
    const body = (await limited.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.data.code).toBe("TOO_MANY_REQUESTS");
    expect((await submit("203.0.113.10")).status).toBe(200);
  });
});
