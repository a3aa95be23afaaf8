import { PassThrough, Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { beforeAll, describe, expect, test } from "vitest";
import yauzl from "yauzl";
import yazl from "yazl";
import {
  MANIFEST_PATH,
  PUBLIC_KEY_PATH,
  SIGNATURE_PATH,
  type VerifyResult,
  verifyBundleBuffer,
  writeBundle,
} from "./bundle.ts";
import { bundleEntries } from "./files.ts";
import { generateSigningKeyPair, publicKeyFingerprint } from "./keys.ts";
import { exportHeader, exportPractitioners, ORG_ID } from "./test-fixtures.ts";

const keys = generateSigningKeyPair();

async function makeBundle(): Promise<Buffer> {
  const header = exportHeader();
  const out = new PassThrough();
  const bytes = buffer(out);
  await writeBundle(
    bundleEntries(header, () => exportPractitioners()),
    out,
    {
      exportId: header.exportId,
      organizationId: ORG_ID,
      createdAt: header.generatedAt,
      signer: keys,
    },
  );
  return bytes;
}

/** Every file of a ZIP, in order. */
async function unzip(zipBytes: Buffer): Promise<[string, Buffer][]> {
  const zip = await yauzl.fromBufferPromise(zipBytes, { lazyEntries: true });
  const files: [string, Buffer][] = [];
  for await (const entry of zip.eachEntry()) {
    files.push([entry.fileName, await buffer(await zip.openReadStreamPromise(entry))]);
  }
  zip.close();
  return files;
}

async function rezip(files: readonly [string, Buffer][]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [path, bytes] of files) zip.addBuffer(bytes, path);
  zip.end();
  return buffer(zip.outputStream);
}

function flipByte(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const at = Math.floor(copy.length / 2);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

function named(result: VerifyResult): (string | null)[] {
  return result.problems.map((problem) => problem.path);
}

let bundle: Buffer;
let files: [string, Buffer][];
beforeAll(async () => {
  bundle = await makeBundle();
  files = await unzip(bundle);
});

describe("signed bundle", () => {
  test("a file that fails to read ends the bundle with that error, and nothing else fails", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const out = new PassThrough();
      out.resume();
      const outClosed = new Promise((resolve) => out.on("close", resolve));
      const entries = [
        { path: "ok.json", open: () => "{}\n" },
        {
          path: "evidence/missing.pdf",
          open: () =>
            Readable.from(
              (async function* () {
                yield Buffer.from("%PDF-1.7 first bytes");
                throw new Error("evidence file 1234 has no stored content");
              })(),
            ),
        },
      ];
      await expect(
        writeBundle(entries, out, {
          exportId: "e1",
          organizationId: ORG_ID,
          createdAt: "2026-11-27T09:00:00.000Z",
          signer: keys,
        }),
      ).rejects.toThrow("evidence file 1234 has no stored content");
      await outClosed;
      // Give a stray rejection or stream error the turns it would need to surface.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  test("holds every export file, the transcripts, the evidence, and the signed manifest", () => {
    const paths = files.map(([path]) => path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "README.txt",
        "export.json",
        "summary.csv",
        "detail.csv",
        "report.pdf",
        MANIFEST_PATH,
        SIGNATURE_PATH,
        PUBLIC_KEY_PATH,
      ]),
    );
    expect(paths.filter((p) => p.endsWith("/transcript.pdf"))).toHaveLength(2);
    expect(paths).toContain(
      "practitioners/ana-reyes-2d7e8a3f/evidence/3e8f9b4a-4a0d-4b3b-8d8a-9d5e3f4a5b62.json",
    );
    const manifest = JSON.parse(String(files.find(([p]) => p === MANIFEST_PATH)?.[1]));
    expect(manifest.files).toHaveLength(paths.length - 3);
    expect(manifest.publicKeyFingerprint).toBe(publicKeyFingerprint(keys.publicKeyPem));
  });

  test("an untouched bundle verifies, with the bundle's key and with the key supplied", async () => {
    const own = await verifyBundleBuffer(bundle);
    expect(own.problems).toEqual([]);
    expect(own.ok).toBe(true);
    expect(own.keySource).toBe("bundle");
    expect(own.verifiedFiles).toBe(files.length - 3);
    const supplied = await verifyBundleBuffer(bundle, { publicKeyPem: keys.publicKeyPem });
    expect(supplied.ok).toBe(true);
    expect(supplied.keySource).toBe("supplied");
    // Re-zipping the same contents is not tampering.
    expect((await verifyBundleBuffer(await rezip(files))).ok).toBe(true);
  });

  test("flipping one byte in any file fails verification and names that file", async () => {
    for (const [path] of files) {
      const tampered = await rezip(
        files.map(([p, bytes]) => [p, p === path ? flipByte(bytes) : bytes] as [string, Buffer]),
      );
      const result = await verifyBundleBuffer(tampered, { publicKeyPem: keys.publicKeyPem });
      expect(result.ok, path).toBe(false);
      expect(named(result), path).toContain(path);
      expect(result.problems.find((p) => p.path === path)?.message, path).toMatch(
        new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `),
      );
    }
  });

  test("removing any file fails verification and names that file", async () => {
    for (const [path] of files) {
      const result = await verifyBundleBuffer(await rezip(files.filter(([p]) => p !== path)), {
        publicKeyPem: keys.publicKeyPem,
      });
      expect(result.ok, path).toBe(false);
      expect(named(result), path).toContain(path);
      const problem = result.problems.find((p) => p.path === path);
      expect(problem?.kind, path).toBe("missing");
    }
  });

  test("an added file is named as not in the manifest", async () => {
    const result = await verifyBundleBuffer(
      await rezip([...files, ["smuggled.txt", Buffer.from("hello")]]),
    );
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: "extra", path: "smuggled.txt" }),
    ]);
  });

  test("a bundle signed by another organization's key fails against the expected key", async () => {
    const other = generateSigningKeyPair();
    const result = await verifyBundleBuffer(bundle, { publicKeyPem: other.publicKeyPem });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.kind)).toContain("public-key");
    expect(result.problems.map((p) => p.kind)).toContain("signature");
  });

  test("a re-signed manifest with a swapped key is caught when the real key is supplied", async () => {
    const forger = generateSigningKeyPair();
    const header = exportHeader();
    const out = new PassThrough();
    const bytes = buffer(out);
    await writeBundle(
      bundleEntries(header, () => exportPractitioners().slice(0, 1)),
      out,
      {
        exportId: header.exportId,
        organizationId: ORG_ID,
        createdAt: header.generatedAt,
        signer: forger,
      },
    );
    const forged = await bytes;
    expect((await verifyBundleBuffer(forged)).ok).toBe(true);
    const result = await verifyBundleBuffer(forged, { publicKeyPem: keys.publicKeyPem });
    expect(result.ok).toBe(false);
    expect(named(result)).toContain(PUBLIC_KEY_PATH);
  });

  test("a damaged ZIP byte inside a file's data names the file", async () => {
    // Flip a byte in the middle of export.json's compressed data in the raw ZIP.
    const zip = await yauzl.fromBufferPromise(bundle, { lazyEntries: true });
    let start = -1;
    let length = 0;
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName === "export.json") {
        start = (await zip.readLocalFileHeaderPromise(entry, { minimal: true })).fileDataStart;
        length = entry.compressedSize;
      }
    }
    zip.close();
    expect(start).toBeGreaterThan(0);
    const damaged = Buffer.from(bundle);
    const at = start + Math.floor(length / 2);
    damaged[at] = (damaged[at] ?? 0) ^ 0xff;
    const result = await verifyBundleBuffer(damaged);
    expect(result.ok).toBe(false);
    expect(named(result)).toContain("export.json");
  });

  test("something that is not a ZIP is refused in words", async () => {
    const result = await verifyBundleBuffer(Buffer.from("not a zip"));
    expect(result.ok).toBe(false);
    expect(result.problems[0]?.kind).toBe("unreadable-bundle");
  });
});
