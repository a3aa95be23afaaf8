/**
 * Request size limits of the admin app's actions, through real HTTP against the built app: a body
 * over its limit is a 413 answered at once (declared or streamed), and the server is fine after.
 */
import { request as httpRequest } from "node:http";
import { describe, expect, test } from "vitest";
import { adminUrl } from "./fixtures.ts";

const TWO_MB = 2 * 1024 * 1024;

interface Answer {
  status: number;
  body: string;
  ms: number;
}

/**
 * POSTs `size` bytes of a URL-encoded form to `path`, declared with Content-Length or streamed
 * chunked in 64 KB pieces, and resolves with the answer (the upload may be cut off after it).
 */
function post(path: string, size: number, mode: "declared" | "chunked"): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(adminUrl(path), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(mode === "declared" ? { "content-length": String(size) } : {}),
      },
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - started }),
      );
      res.on("error", reject);
    });
    // The server may close the connection before the whole upload is sent: that is its right.
    req.on("error", (error) => reject(error));
    const piece = Buffer.alloc(64 * 1024, "a");
    piece.write("email=", 0);
    let sent = 0;
    const writeMore = () => {
      while (sent < size) {
        const chunk = piece.subarray(0, Math.min(piece.length, size - sent));
        sent += chunk.length;
        if (!req.write(chunk)) return req.once("drain", writeMore);
      }
      req.end();
    };
    writeMore();
  });
}

describe("body limits on the admin app's actions", () => {
  test("a 2 MB POST to /login with its length declared gets 413 at once", async () => {
    const answer = await post("/login", TWO_MB, "declared");
    expect(answer.status).toBe(413);
    expect(answer.ms).toBeLessThan(5_000);
  });

  test("a 2 MB chunked POST to /login (no declared length) gets 413 too", async () => {
    const answer = await post("/login", TWO_MB, "chunked");
    expect(answer.status).toBe(413);
    expect(answer.ms).toBeLessThan(5_000);
  });

  test("every action has the limit: a 2 MB password-reset request is refused the same way", async () => {
    const answer = await post("/forgot-password", TWO_MB, "chunked");
    expect(answer.status).toBe(413);
  });

  test("after a run of refused bodies the server still answers, and a normal form still works", async () => {
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => post("/login", TWO_MB, i % 2 ? "chunked" : "declared")),
    );
    const page = await fetch(adminUrl("/login"));
    expect(page.status).toBe(200);
    // A small form is read: a wrong password is answered on the form (400), not with a 413.
    const small = await fetch(adminUrl("/login"), {
      method: "POST",
      body: new URLSearchParams({ email: "pt@dn.demo", password: "not-the-password" }),
      redirect: "manual",
    });
    expect(small.status).not.toBe(413);
    expect(small.status).toBeLessThan(500);
  });
});
