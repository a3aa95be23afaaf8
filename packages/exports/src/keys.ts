/** Ed25519 signing keys for bundles (node:crypto), as PEM text. */
import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";

export interface SigningKeyPair {
  /** SPKI PEM: safe to publish. */
  publicKeyPem: string;
  /** PKCS#8 PEM: kept by the service only. */
  privateKeyPem: string;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519", {
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** SHA-256 (hex) of the key's DER (SPKI) encoding; throws on anything but an Ed25519 key. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const key = createPublicKey(publicKeyPem);
  if (key.asymmetricKeyType !== "ed25519") {
    throw new Error(`expected an Ed25519 public key, got ${key.asymmetricKeyType ?? "unknown"}`);
  }
  return createHash("sha256")
    .update(key.export({ type: "spki", format: "der" }))
    .digest("hex");
}
