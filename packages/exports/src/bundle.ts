/**
 * The signed bundle: a ZIP of every export file, a manifest listing each with its SHA-256, the
 * manifest's Ed25519 signature, and the public key. Anyone can check it offline with
 * `verifyBundle` (`dn verify`), without trusting the service that made it.
 *
 *   manifest.json   { format: "dn-export-manifest", version: 1, ..., files: [{ path, size, sha256 }] }
 *   manifest.sig    { algorithm: "ed25519", manifestSha256, keyFingerprint, signature (base64) }
 *   public-key.pem  the organization's public key (SPKI PEM)
 */
import { createHash, createPublicKey, sign, verify } from "node:crypto";
import { Readable, Transform, type Writable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import yazl from "yazl";
import { AUDIT_CHECKPOINT_PATH, AUDIT_SEGMENT_PATH, checkAuditSegment } from "./audit-segment.ts";
import { publicKeyFingerprint } from "./keys.ts";
import type { AnyIterable } from "./model.ts";

export const MANIFEST_PATH = "manifest.json";
export const SIGNATURE_PATH = "manifest.sig";
export const PUBLIC_KEY_PATH = "public-key.pem";
const CONTROL_FILES = new Set([MANIFEST_PATH, SIGNATURE_PATH, PUBLIC_KEY_PATH]);
/** Files read whole during verification: the control files and the audit segment. */
const KEPT_FILES = new Set([...CONTROL_FILES, AUDIT_SEGMENT_PATH, AUDIT_CHECKPOINT_PATH]);

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: "dn-export-manifest";
  version: 1;
  exportId: string;
  organizationId: string;
  createdAt: string;
  hashAlgorithm: "sha256";
  signatureAlgorithm: "ed25519";
  /** SHA-256 (hex) of the public key's DER (SPKI) encoding. */
  publicKeyFingerprint: string;
  files: ManifestFile[];
}

export interface SignatureFile {
  algorithm: "ed25519";
  /** SHA-256 (hex) of the manifest.json bytes that were signed. */
  manifestSha256: string;
  keyFingerprint: string;
  /** Base64 Ed25519 signature of the manifest.json bytes. */
  signature: string;
}

/** One file of a bundle; `open` is called when the file's turn comes, so one is open at a time. */
export interface BundleEntry {
  path: string;
  open: () => Readable | Buffer | string;
}

export interface BundleSigner {
  privateKeyPem: string;
  publicKeyPem: string;
}

export interface WriteBundleOptions {
  exportId: string;
  organizationId: string;
  createdAt: string;
  signer: BundleSigner;
  /** Called after each file is written, with the number written so far. */
  onFile?: (path: string, written: number) => void;
}

function checkPath(path: string): void {
  if (
    CONTROL_FILES.has(path) ||
    path.startsWith("/") ||
    path.split("/").some((part) => part === ".." || part === "")
  ) {
    throw new Error(`bundle: ${path} is not an allowed file path`);
  }
}

/** Counts and hashes what passes through. */
function hashing(): Transform & { digest: () => ManifestFile["sha256"]; size: () => number } {
  const hash = createHash("sha256");
  let size = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  let digest: string | null = null;
  return Object.assign(transform, {
    digest: () => {
      digest ??= hash.digest("hex");
      return digest;
    },
    size: () => size,
  });
}

/**
 * Writes the bundle to `out`, streaming each file through a hash into the ZIP, then the signed
 * manifest. Resolves with the manifest once `out` has finished.
 */
export async function writeBundle(
  entries: AnyIterable<BundleEntry>,
  out: Writable,
  options: WriteBundleOptions,
): Promise<Manifest> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(options.createdAt);
  // pipeline, not pipe: an error on either side ends both and is seen once, as `done`'s rejection.
  const done = pipeline(zip.outputStream, out);
  const files: ManifestFile[] = [];
  const seen = new Set<string>();
  try {
    for await (const entry of entries) {
      checkPath(entry.path);
      if (seen.has(entry.path)) throw new Error(`bundle: ${entry.path} is added twice`);
      seen.add(entry.path);
      const opened = entry.open();
      const source =
        typeof opened === "string" || Buffer.isBuffer(opened)
          ? Readable.from([Buffer.from(opened)])
          : opened;
      const hasher = hashing();
      const passed = finished(source.pipe(hasher));
      source.on("error", (error) => hasher.destroy(error));
      zip.addReadStream(hasher, entry.path, { mtime, compress: true });
      await passed;
      files.push({ path: entry.path, size: hasher.size(), sha256: hasher.digest() });
      options.onFile?.(entry.path, files.length);
    }
  } catch (error) {
    (zip.outputStream as Readable).destroy(error as Error);
    // The failure is reported once, as this function's rejection: the pipeline's own rejection
    // must not surface as an unhandled one (that would end the process).
    await done.catch(() => {});
    throw error;
  }

  const manifest: Manifest = {
    format: "dn-export-manifest",
    version: 1,
    exportId: options.exportId,
    organizationId: options.organizationId,
    createdAt: options.createdAt,
    hashAlgorithm: "sha256",
    signatureAlgorithm: "ed25519",
    publicKeyFingerprint: publicKeyFingerprint(options.signer.publicKeyPem),
    files,
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const signatureFile: SignatureFile = {
    algorithm: "ed25519",
    manifestSha256: createHash("sha256").update(manifestBytes).digest("hex"),
    keyFingerprint: manifest.publicKeyFingerprint,
    signature: sign(null, manifestBytes, options.signer.privateKeyPem).toString("base64"),
  };
  zip.addBuffer(manifestBytes, MANIFEST_PATH, { mtime });
  zip.addBuffer(Buffer.from(`${JSON.stringify(signatureFile, null, 2)}\n`), SIGNATURE_PATH, {
    mtime,
  });
  zip.addBuffer(Buffer.from(options.signer.publicKeyPem), PUBLIC_KEY_PATH, { mtime });
  zip.end();
  await done;
  return manifest;
}

// ---------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------

export const PROBLEM_KINDS = [
  "unreadable-bundle",
  "unreadable-file",
  "changed",
  "missing",
  "extra",
  "duplicate",
  "manifest",
  "signature",
  "public-key",
  "audit-chain",
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export interface VerifyProblem {
  kind: ProblemKind;
  /** The file at fault, when one is. */
  path: string | null;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  problems: VerifyProblem[];
  manifest: Manifest | null;
  /** Files listed in the manifest whose hash matched. */
  verifiedFiles: number;
  /** Whose key the signature was checked with. */
  keySource: "supplied" | "bundle" | "none";
  keyFingerprint: string | null;
}

export interface VerifyOptions {
  /** The organization's public key obtained independently (PEM); else the bundle's own is used. */
  publicKeyPem?: string;
}

interface ReadEntry {
  path: string;
  sha256: string;
  size: number;
  /** Kept for the small control files only. */
  bytes: Buffer | null;
}

async function readEntries(
  zip: yauzl.ZipFile,
): Promise<{ entries: ReadEntry[]; problems: VerifyProblem[] }> {
  const entries: ReadEntry[] = [];
  const problems: VerifyProblem[] = [];
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName.endsWith("/")) continue;
    try {
      const stream = await zip.openReadStreamPromise(entry);
      const hash = createHash("sha256");
      const chunks: Buffer[] = [];
      const keep = KEPT_FILES.has(entry.fileName);
      let size = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
        if (keep) chunks.push(chunk);
      }
      entries.push({
        path: entry.fileName,
        sha256: hash.digest("hex"),
        size,
        bytes: keep ? Buffer.concat(chunks) : null,
      });
    } catch (error) {
      problems.push({
        kind: "unreadable-file",
        path: entry.fileName,
        message: `${entry.fileName}: cannot be read from the ZIP (${(error as Error).message}); it was damaged`,
      });
    }
  }
  return { entries, problems };
}

function parseJson<T>(bytes: Buffer): T | null {
  try {
    return JSON.parse(bytes.toString("utf8")) as T;
  } catch {
    return null;
  }
}

function isManifest(value: unknown): value is Manifest {
  const manifest = value as Manifest | null;
  return (
    typeof manifest === "object" &&
    manifest !== null &&
    manifest.format === "dn-export-manifest" &&
    manifest.version === 1 &&
    Array.isArray(manifest.files) &&
    manifest.files.every(
      (file) =>
        typeof file?.path === "string" &&
        typeof file.sha256 === "string" &&
        typeof file.size === "number",
    )
  );
}

/** Exactly what writeBundle writes: any other byte means the file was altered. */
function isCanonicalSignatureFile(
  value: SignatureFile | null,
  bytes: Buffer,
): value is SignatureFile {
  if (
    value?.algorithm !== "ed25519" ||
    typeof value.signature !== "string" ||
    typeof value.manifestSha256 !== "string" ||
    typeof value.keyFingerprint !== "string"
  ) {
    return false;
  }
  const canonical: SignatureFile = {
    algorithm: value.algorithm,
    manifestSha256: value.manifestSha256,
    keyFingerprint: value.keyFingerprint,
    signature: value.signature,
  };
  return (
    Buffer.from(`${JSON.stringify(canonical, null, 2)}\n`).equals(bytes) &&
    Buffer.from(value.signature, "base64").toString("base64") === value.signature
  );
}

function fingerprintOrNull(pem: string): string | null {
  try {
    return publicKeyFingerprint(pem);
  } catch {
    return null;
  }
}

/** Checks the files, manifest and signature of what `readEntries` read. */
function check(
  read: { entries: ReadEntry[]; problems: VerifyProblem[] },
  options: VerifyOptions,
): VerifyResult {
  const problems = [...read.problems];
  const byPath = new Map<string, ReadEntry>();
  for (const entry of read.entries) {
    if (byPath.has(entry.path)) {
      problems.push({
        kind: "duplicate",
        path: entry.path,
        message: `${entry.path}: appears more than once in the ZIP`,
      });
    }
    byPath.set(entry.path, entry);
  }
  const unreadable = new Set(read.problems.map((problem) => problem.path));
  const result = (manifest: Manifest | null, extra: Partial<VerifyResult> = {}): VerifyResult => ({
    ok: problems.length === 0,
    problems,
    manifest,
    verifiedFiles: 0,
    keySource: "none",
    keyFingerprint: null,
    ...extra,
  });

  const manifestEntry = byPath.get(MANIFEST_PATH);
  if (!manifestEntry?.bytes) {
    if (!unreadable.has(MANIFEST_PATH)) {
      problems.push({
        kind: "missing",
        path: MANIFEST_PATH,
        message: `${MANIFEST_PATH}: missing, so nothing in the bundle can be checked`,
      });
    }
    return result(null);
  }
  const parsed = parseJson<unknown>(manifestEntry.bytes);
  const manifest = isManifest(parsed) ? parsed : null;

  // The signature first: it says whether the manifest itself can be trusted.
  let keySource: VerifyResult["keySource"] = "none";
  let keyFingerprint: string | null = null;
  let keyPem: string | null = null;
  const bundleKey = byPath.get(PUBLIC_KEY_PATH)?.bytes?.toString("utf8") ?? null;
  const bundleFingerprint = bundleKey === null ? null : fingerprintOrNull(bundleKey);
  if (bundleKey === null && !unreadable.has(PUBLIC_KEY_PATH)) {
    problems.push({
      kind: "missing",
      path: PUBLIC_KEY_PATH,
      message: `${PUBLIC_KEY_PATH}: missing from the bundle`,
    });
  } else if (bundleKey !== null && bundleFingerprint === null) {
    problems.push({
      kind: "public-key",
      path: PUBLIC_KEY_PATH,
      message: `${PUBLIC_KEY_PATH}: is not a valid public key; it was altered`,
    });
  } else if (
    manifest &&
    bundleFingerprint !== null &&
    bundleFingerprint !== manifest.publicKeyFingerprint
  ) {
    problems.push({
      kind: "public-key",
      path: PUBLIC_KEY_PATH,
      message: `${PUBLIC_KEY_PATH}: changed: its fingerprint ${bundleFingerprint} is not the ${manifest.publicKeyFingerprint} named in ${MANIFEST_PATH}`,
    });
  }
  if (options.publicKeyPem !== undefined) {
    keySource = "supplied";
    keyPem = options.publicKeyPem;
    keyFingerprint = fingerprintOrNull(options.publicKeyPem);
    if (keyFingerprint === null) {
      problems.push({
        kind: "public-key",
        path: null,
        message: "the public key supplied is not a valid Ed25519 public key (PEM)",
      });
      keyPem = null;
    } else if (bundleFingerprint !== null && bundleFingerprint !== keyFingerprint) {
      problems.push({
        kind: "public-key",
        path: PUBLIC_KEY_PATH,
        message: `${PUBLIC_KEY_PATH}: is not the public key you supplied (fingerprint ${bundleFingerprint}, expected ${keyFingerprint}): the bundle was signed by someone else`,
      });
    }
  } else if (
    bundleKey !== null &&
    bundleFingerprint !== null &&
    (!manifest || bundleFingerprint === manifest.publicKeyFingerprint)
  ) {
    keySource = "bundle";
    keyPem = bundleKey;
    keyFingerprint = bundleFingerprint;
  }

  const signatureEntry = byPath.get(SIGNATURE_PATH);
  const actualManifestSha = manifestEntry.sha256;
  if (!signatureEntry?.bytes) {
    if (!unreadable.has(SIGNATURE_PATH)) {
      problems.push({
        kind: "missing",
        path: SIGNATURE_PATH,
        message: `${SIGNATURE_PATH}: missing, so the manifest is unsigned`,
      });
    }
  } else {
    const signatureFile = parseJson<SignatureFile>(signatureEntry.bytes);
    if (!isCanonicalSignatureFile(signatureFile, signatureEntry.bytes)) {
      problems.push({
        kind: "signature",
        path: SIGNATURE_PATH,
        message: `${SIGNATURE_PATH}: is not a signature file; it was altered`,
      });
    } else if (keyPem !== null) {
      let valid = false;
      try {
        valid = verify(
          null,
          manifestEntry.bytes,
          createPublicKey(keyPem),
          Buffer.from(signatureFile.signature, "base64"),
        );
      } catch {
        valid = false;
      }
      if (manifest && signatureFile.keyFingerprint !== manifest.publicKeyFingerprint) {
        problems.push({
          kind: "signature",
          path: SIGNATURE_PATH,
          message: `${SIGNATURE_PATH}: names key ${signatureFile.keyFingerprint}, not the ${manifest.publicKeyFingerprint} of ${MANIFEST_PATH}; it was altered`,
        });
      } else if (valid && signatureFile.manifestSha256 !== actualManifestSha) {
        problems.push({
          kind: "signature",
          path: SIGNATURE_PATH,
          message: `${SIGNATURE_PATH}: its manifestSha256 was altered (the signature itself matches ${MANIFEST_PATH})`,
        });
      } else if (!valid && signatureFile.manifestSha256 !== actualManifestSha) {
        problems.push({
          kind: "changed",
          path: MANIFEST_PATH,
          message: `${MANIFEST_PATH}: changed after signing (SHA-256 ${actualManifestSha}, signed ${signatureFile.manifestSha256}); the signature does not match`,
        });
      } else if (!valid) {
        problems.push({
          kind: "signature",
          path: SIGNATURE_PATH,
          message: `${SIGNATURE_PATH}: the signature does not match ${MANIFEST_PATH} under the ${keySource === "supplied" ? "public key supplied" : "bundle's public key"}; it was altered or made with another key`,
        });
      }
    }
  }

  if (!manifest) {
    problems.push({
      kind: "manifest",
      path: MANIFEST_PATH,
      message: `${MANIFEST_PATH}: is not a dn-export-manifest v1 document; it was altered`,
    });
    return result(null, { keySource, keyFingerprint });
  }

  let verifiedFiles = 0;
  const listed = new Set<string>();
  for (const file of manifest.files) {
    listed.add(file.path);
    const entry = byPath.get(file.path);
    if (!entry) {
      if (!unreadable.has(file.path)) {
        problems.push({
          kind: "missing",
          path: file.path,
          message: `${file.path}: missing from the bundle (listed in ${MANIFEST_PATH})`,
        });
      }
    } else if (entry.sha256 !== file.sha256 || entry.size !== file.size) {
      problems.push({
        kind: "changed",
        path: file.path,
        message: `${file.path}: changed (SHA-256 ${entry.sha256}, ${entry.size} bytes; the manifest says ${file.sha256}, ${file.size} bytes)`,
      });
    } else {
      verifiedFiles += 1;
    }
  }
  for (const entry of read.entries) {
    if (!listed.has(entry.path) && !CONTROL_FILES.has(entry.path)) {
      problems.push({
        kind: "extra",
        path: entry.path,
        message: `${entry.path}: not listed in ${MANIFEST_PATH}; it was added`,
      });
    }
  }
  // The audit segment's links and checkpoint (decision 055), when the bundle carries one.
  const segment = byPath.get(AUDIT_SEGMENT_PATH)?.bytes;
  if (segment && listed.has(AUDIT_SEGMENT_PATH)) {
    const checkpoint = byPath.get(AUDIT_CHECKPOINT_PATH)?.bytes ?? null;
    const audit = checkAuditSegment(
      manifest.organizationId,
      segment.toString("utf8"),
      checkpoint === null ? null : checkpoint.toString("utf8"),
      keyPem,
    );
    for (const message of audit.problems) {
      problems.push({ kind: "audit-chain", path: AUDIT_SEGMENT_PATH, message });
    }
  }
  return result(manifest, { verifiedFiles, keySource, keyFingerprint });
}

async function verifyZip(
  openZip: () => Promise<yauzl.ZipFile>,
  options: VerifyOptions,
): Promise<VerifyResult> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip();
  } catch (error) {
    return {
      ok: false,
      problems: [
        {
          kind: "unreadable-bundle",
          path: null,
          message: `the bundle is not a readable ZIP file (${(error as Error).message})`,
        },
      ],
      manifest: null,
      verifiedFiles: 0,
      keySource: "none",
      keyFingerprint: null,
    };
  }
  try {
    return check(await readEntries(zip), options);
  } finally {
    zip.close();
  }
}

const ZIP_OPTIONS = { lazyEntries: true, validateEntrySizes: true, strictFileNames: false };

/** Verifies a bundle held in memory (an upload). */
export function verifyBundleBuffer(bytes: Buffer, options: VerifyOptions = {}) {
  return verifyZip(() => yauzl.fromBufferPromise(bytes, ZIP_OPTIONS), options);
}

/** Verifies a bundle on disk, reading one file at a time. */
export function verifyBundleFile(path: string, options: VerifyOptions = {}) {
  return verifyZip(() => yauzl.openPromise(path, ZIP_OPTIONS), options);
}

/** One file of a bundle held in memory, or null when it has none by that path. */
export async function readBundleEntry(bytes: Buffer, path: string): Promise<Buffer | null> {
  const zip = await yauzl.fromBufferPromise(bytes, ZIP_OPTIONS);
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== path) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>)
        chunks.push(chunk);
      return Buffer.concat(chunks);
    }
    return null;
  } finally {
    zip.close();
  }
}
