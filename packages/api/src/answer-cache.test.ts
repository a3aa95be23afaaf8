/**
 * The answer cache (decision 061) over the real HTTP handler: a kept answer is sent again only
 * for the same actor, input, audit chain head and quarter hour. The tests change rows behind the
 * services (no audit row) to tell a kept answer from a fresh one.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "@dn/clock";
import type { DbHandle } from "@dn/db";
import { createTestDb, TEST_NOW, TEST_PASSWORD, testDialects } from "@dn/db/testing";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { AnswerCache } from "./answer-cache.ts";
import { refreshTrendMonths } from "./services/evaluations.ts";
import {
  buildOrgWorld,
  type OrgWorld,
  serveTrpc,
  type TrpcTestServer,
  trpcOverHttp,
} from "./test-support.ts";

interface ListAnswer {
  items: { id: string; name: string; email: string }[];
}

describe.each(await testDialects())("kept answers on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  let server: TrpcTestServer;
  let api: ReturnType<typeof trpcOverHttp>;
  const clock = { at: TEST_NOW };
  const now: Clock = () => new Date(clock.at);
  const minutesLater = (minutes: number) =>
    new Date(Date.parse(TEST_NOW) + minutes * 60_000).toISOString();

  beforeEach(async () => {
    clock.at = TEST_NOW;
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    server = await serveTrpc(handle.db, { now });
    api = trpcOverHttp(server.base);
  });
  afterEach(async () => {
    await server.close();
    await handle.destroy();
  });

  async function signIn(email: string): Promise<string> {
    const reply = await api.mutation("auth.login", { email, password: TEST_PASSWORD });
    expect(reply.error).toBeNull();
    return (reply.data as { token: string }).token;
  }

  /** Changes the colleague's email behind the services: no audit row, so the head stays. */
  async function editBehindTheServices(email: string): Promise<void> {
    await sql`update practitioners set email = ${email} where id = ${world.colleague.id}`.execute(
      handle.db,
    );
  }

  async function colleagueEmail(token: string): Promise<string | undefined> {
    const reply = await api.query("practitioners.list", { limit: 50 }, token);
    expect(reply.error).toBeNull();
    return (reply.data as ListAnswer).items.find((item) => item.id === world.colleague.id)?.email;
  }

  test("a repeated list is the kept answer until an audited change moves the chain head", async () => {
    const token = await signIn(world.users.manager.email);
    const original = await colleagueEmail(token);
    await editBehindTheServices("behind@example.test");
    expect(await colleagueEmail(token)).toBe(original);

    const renamed = await api.mutation(
      "practitioners.update",
      { id: world.self.id, name: "Harbor Self Renamed" },
      token,
    );
    expect(renamed.error).toBeNull();
    const fresh = await api.query("practitioners.list", { limit: 50 }, token);
    const items = (fresh.data as ListAnswer).items;
    expect(items.find((item) => item.id === world.self.id)?.name).toBe("Harbor Self Renamed");
    expect(items.find((item) => item.id === world.colleague.id)?.email).toBe("behind@example.test");
  });

  test("no answer outlives its quarter hour, so a clinic's new date is always seen", async () => {
    const token = await signIn(world.users.manager.email);
    const original = await colleagueEmail(token);
    await editBehindTheServices("behind@example.test");
    clock.at = minutesLater(1);
    expect(await colleagueEmail(token)).toBe(original);
    clock.at = minutesLater(16);
    expect(await colleagueEmail(token)).toBe("behind@example.test");
  });

  test("another input, another actor or a batched call is never given a kept answer", async () => {
    const manager = await signIn(world.users.manager.email);
    const practitioner = await signIn(world.users.practitioner.email);
    await colleagueEmail(manager);
    await editBehindTheServices("behind@example.test");

    const other = await api.query("practitioners.list", { limit: 49 }, manager);
    expect(
      (other.data as ListAnswer).items.find((item) => item.id === world.colleague.id)?.email,
    ).toBe("behind@example.test");

    // A practitioner sees only themselves, whatever a manager's answer holds.
    const own = await api.query("practitioners.list", { limit: 50 }, practitioner);
    expect((own.data as ListAnswer).items.map((item) => item.id)).toEqual([world.self.id]);

    const batched = await fetch(
      `${server.base}/trpc/practitioners.list?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { limit: 50 } }))}`,
      { headers: { authorization: `Bearer ${manager}` } },
    );
    const [first] = (await batched.json()) as { result: { data: ListAnswer } }[];
    expect(first?.result.data.items.find((item) => item.id === world.colleague.id)?.email).toBe(
      "behind@example.test",
    );
  });

  test("a session that ends gets 401, not the answer kept for it", async () => {
    const token = await signIn(world.users.manager.email);
    await colleagueEmail(token);
    // Removed behind the services: the head does not move, the session lookup still runs.
    await sql`delete from sessions`.execute(handle.db);
    const reply = await api.query("practitioners.list", { limit: 50 }, token);
    expect(reply.status).toBe(401);
    expect(reply.error?.code).toBe("UNAUTHORIZED");
  });

  test("an evaluation is kept too, and a change to its practitioner is seen on the next call", async () => {
    const token = await signIn(world.users.manager.email);
    const input = { practitionerId: world.self.id, standardId: "us-md-dn" };
    const first = await api.query("compliance.evaluate", input, token);
    expect(first.error).toBeNull();
    await sql`update practitioners set name = 'Behind' where id = ${world.self.id}`.execute(
      handle.db,
    );
    const kept = await api.query("compliance.evaluate", input, token);
    expect(kept.data).toEqual(first.data);

    await api.mutation("practitioners.update", { id: world.self.id, name: "Renamed" }, token);
    const fresh = await api.query("compliance.evaluate", input, token);
    expect((fresh.data as { practitioner: { name: string } }).practitioner.name).toBe("Renamed");
  });

  test("a dashboard still waiting for a trend month is not kept; once the job has filled them it is", async () => {
    const token = await signIn(world.users.manager.email);
    const pendingMonths = async () => {
      const reply = await api.query("dashboard.summary", {}, token);
      expect(reply.error).toBeNull();
      return (reply.data as { trend: { pending: boolean }[] }).trend.filter((m) => m.pending)
        .length;
    };
    expect(await pendingMonths()).toBe(11);
    // The job lands the months without an audit row: the next dashboard must show them.
    await refreshTrendMonths(handle.db, {
      organizationId: world.organization.id,
      now: new Date(clock.at),
    });
    expect(await pendingMonths()).toBe(0);

    const unverified = async () => {
      const reply = await api.query("dashboard.summary", {}, token);
      return (reply.data as { unverified: { pendingRecords: number } }).unverified.pendingRecords;
    };
    const counted = await unverified();
    await sql`update training_records set status = 'verified'`.execute(handle.db);
    expect(await unverified()).toBe(counted);
  });
});

describe("one computation per question at a time", () => {
  /** A server whose every answer is computed slowly by `status`, through one AnswerCache. */
  async function slowServer(status: () => number) {
    const answers = new AnswerCache();
    let computed = 0;
    const server: Server = createServer((_req, res) => {
      void answers.serve("one key", "practitioners.list", res, () => {
        computed += 1;
        const n = computed;
        setTimeout(() => {
          res.writeHead(status(), { "content-type": "application/json" });
          res.end(JSON.stringify({ result: { data: { n } } }));
        }, 50);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return {
      ask: (times: number) =>
        Promise.all(Array.from({ length: times }, () => fetch(url).then((r) => r.text()))),
      computed: () => computed,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  test("requests arriving while an answer is computed wait for it instead of computing it again", async () => {
    const server = await slowServer(() => 200);
    const bodies = await server.ask(8);
    expect(server.computed()).toBe(1);
    expect(new Set(bodies)).toEqual(new Set(['{"result":{"data":{"n":1}}}']));
    await server.close();
  });

  test("when the answer computed is not kept, the waiting requests compute their own", async () => {
    const server = await slowServer(() => 500);
    await server.ask(3);
    expect(server.computed()).toBe(3);
    await server.close();
  });
});
