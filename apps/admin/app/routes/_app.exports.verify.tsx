/**
 * Verify an uploaded bundle: every file's SHA-256 against manifest.json and the manifest's
 * Ed25519 signature, checked here with @dn/exports (the same code as `dn verify`), against this
 * organization's key, the key inside the bundle, or a key file uploaded with it.
 */
import { type VerifyResult, verifyBundleBuffer } from "@dn/exports/bundle";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList } from "~/components/forms.tsx";
import { BUNDLE_FORM_LIMIT, readForm } from "~/utils/body-limit.server.ts";
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";

const MAX_BYTES = 200 * 1024 * 1024;
const KEY_SOURCES = {
  organization: "This organization's key",
  bundle: "The key inside the bundle",
  upload: "A key file I upload",
} as const;

export const meta: MetaFunction = () => [{ title: "Verify a bundle · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUserWithPermission(request, "read:export");
  return null;
}

type Outcome =
  | { kind: "error"; field: "bundle" | "publicKey" | "keySource"; message: string }
  | {
      kind: "result";
      fileName: string;
      result: Pick<
        VerifyResult,
        "ok" | "problems" | "verifiedFiles" | "keySource" | "keyFingerprint"
      >;
    };

export async function action({ request }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "read:export");
  const api = await requireApi(request);
  const formData = await readForm(request, BUNDLE_FORM_LIMIT);
  const bundle = formData.get("bundle");
  const keySource = String(formData.get("keySource") ?? "organization");
  const fail = (field: "bundle" | "publicKey" | "keySource", message: string) =>
    data<Outcome>({ kind: "error", field, message }, { status: 400 });
  if (!(keySource in KEY_SOURCES)) return fail("keySource", "choose which key to check with");
  if (!(bundle instanceof File) || bundle.size === 0)
    return fail("bundle", "choose a bundle (.zip) to verify");
  if (bundle.size > MAX_BYTES) return fail("bundle", "the bundle is larger than 200 MB");
  let publicKeyPem: string | undefined;
  if (keySource === "organization") {
    publicKeyPem = (await api.exports.publicKey.query()).publicKeyPem;
  } else if (keySource === "upload") {
    const key = formData.get("publicKey");
    if (!(key instanceof File) || key.size === 0)
      return fail("publicKey", "choose the public key file (.pem)");
    publicKeyPem = await key.text();
  }
  const result = await verifyBundleBuffer(
    Buffer.from(await bundle.arrayBuffer()),
    publicKeyPem ? { publicKeyPem } : {},
  );
  return data<Outcome>({
    kind: "result",
    fileName: bundle.name,
    result: {
      ok: result.ok,
      problems: result.problems,
      verifiedFiles: result.verifiedFiles,
      keySource: result.keySource,
      keyFingerprint: result.keyFingerprint,
    },
  });
}

export default function VerifyBundlePage() {
  const outcome = useActionData<typeof action>();
  const navigation = useNavigation();
  const error = outcome?.kind === "error" ? outcome : null;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/exports">Exports</Link>
      </p>
      <div className="page-header">
        <h1>Verify a bundle</h1>
        <p className="muted">
          Checks every file against the bundle's manifest and the manifest's signature, and names
          anything changed, missing or added.
        </p>
      </div>
      <Form
        method="post"
        encType="multipart/form-data"
        className="stack card"
        aria-label="Verify a bundle"
      >
        <div className={`field${error?.field === "bundle" ? " field--invalid" : ""}`}>
          <label htmlFor="bundle">Bundle (.zip)</label>
          <input
            id="bundle"
            name="bundle"
            type="file"
            accept=".zip,application/zip"
            required
            aria-invalid={error?.field === "bundle" || undefined}
            aria-describedby={error?.field === "bundle" ? "bundle-error" : undefined}
          />
          <ErrorList
            id="bundle-error"
            errors={error?.field === "bundle" ? [error.message] : null}
          />
        </div>
        <fieldset className="group">
          <legend>Check the signature with</legend>
          {Object.entries(KEY_SOURCES).map(([value, label]) => (
            <label key={value} className="checkbox">
              <input
                type="radio"
                name="keySource"
                value={value}
                defaultChecked={value === "organization"}
              />{" "}
              {label}
            </label>
          ))}
          <ErrorList errors={error?.field === "keySource" ? [error.message] : null} />
        </fieldset>
        <div className={`field${error?.field === "publicKey" ? " field--invalid" : ""}`}>
          <label htmlFor="publicKey">Public key file (.pem), if uploading one</label>
          <input id="publicKey" name="publicKey" type="file" accept=".pem,.txt" />
          <ErrorList
            id="publicKey-error"
            errors={error?.field === "publicKey" ? [error.message] : null}
          />
        </div>
        <div className="button-row">
          <button
            type="submit"
            className="button button--primary"
            disabled={navigation.state === "submitting"}
          >
            Verify
          </button>
        </div>
      </Form>
      {outcome?.kind === "result" ? (
        <section className="section" aria-labelledby="verify-result" aria-live="polite">
          <h2 id="verify-result">
            {outcome.result.ok ? "Verified" : "Not verified"}: {outcome.fileName}
          </h2>
          {outcome.result.ok ? (
            <p className="notice" role="status">
              All {outcome.result.verifiedFiles} files match the manifest, and the signature is
              valid under{" "}
              {outcome.result.keySource === "supplied"
                ? "the key chosen"
                : "the key inside the bundle"}{" "}
              (fingerprint <code>{outcome.result.keyFingerprint}</code>).
            </p>
          ) : (
            <ul className="error-list">
              {outcome.result.problems.map((problem) => (
                <li key={`${problem.kind}:${problem.path}:${problem.message}`}>
                  {problem.message}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
