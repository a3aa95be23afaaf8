import { describe, expect, test } from "vitest";
import { FORM_LIMIT, readBodyWithin, readForm } from "./body-limit.server.ts";

/** A streamed (chunked) body of `chunks` pieces of `size` bytes that counts what was pulled. */
function streamedBody(chunks: number, size: number) {
  const pulled = { chunks: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.chunks === chunks) return controller.close();
      pulled.chunks += 1;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
  return { stream, pulled };
}

function post(body: BodyInit | null, headers: Record<string, string> = {}) {
  return new Request("http://admin.test/login", {
    method: "POST",
    body,
    headers,
    // Node's Request needs this for a streamed body.
    duplex: "half",
  });
}

async function refusal(promise: Promise<unknown>): Promise<Response> {
  const thrown = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(Response);
  return thrown as Response;
}

describe("readForm", () => {
  test("reads a URL-encoded form within the limit", async () => {
    const form = await readForm(
      post("email=pt%40dn.demo&password=x", {
        "content-type": "application/x-www-form-urlencoded",
      }),
    );
    expect(form.get("email")).toBe("pt@dn.demo");
  });

  test("reads a multipart form with a file", async () => {
    const sent = new FormData();
    sent.set("intent", "upload");
    sent.set("file", new File([new Uint8Array([1, 2, 3])], "c.pdf", { type: "application/pdf" }));
    const request = new Request("http://admin.test/x", { method: "POST", body: sent });
    const form = await readForm(request, 1024);
    const file = form.get("file");
    expect(form.get("intent")).toBe("upload");
    expect(file).toBeInstanceOf(File);
    expect((file as File).name).toBe("c.pdf");
    expect((file as File).size).toBe(3);
  });

  test("a declared length over the limit is a 413 before any of the body is read", async () => {
    // A client that declared 2 MB and has not sent a byte yet: the answer must not wait for it.
    const stream = new ReadableStream<Uint8Array>({
      pull: () => new Promise<void>(() => undefined),
    });
    const response = await refusal(
      readForm(
        post(stream, {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": String(2 * 1024 * 1024),
        }),
      ),
    );
    expect(response.status).toBe(413);
    expect(await response.text()).toBe("The form is larger than 64 KB.");
  });

  test("a streamed body is cut off as soon as it passes the limit", async () => {
    const { stream, pulled } = streamedBody(1000, 16 * 1024);
    const response = await refusal(
      readForm(post(stream, { "content-type": "application/x-www-form-urlencoded" })),
    );
    expect(response.status).toBe(413);
    // 64 KB is 4 chunks of 16 KB: refused on the 5th, long before the 1000th.
    expect(pulled.chunks).toBeLessThan(10);
  });

  test("exactly the limit is accepted; one byte more is not", async () => {
    const at = `a=${"x".repeat(FORM_LIMIT - 2)}`;
    expect((await readBodyWithin(post(at), FORM_LIMIT)).byteLength).toBe(FORM_LIMIT);
    expect((await refusal(readBodyWithin(post(`${at}x`), FORM_LIMIT))).status).toBe(413);
  });

  test("a body that is not a form is a 400", async () => {
    const response = await refusal(readForm(post("{}", { "content-type": "application/json" })));
    expect(response.status).toBe(400);
  });
});
