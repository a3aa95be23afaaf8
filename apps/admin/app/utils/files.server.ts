/**
 * Evidence files travel as raw bytes over the API's plain HTTP routes (apps/api, files-http.ts
 * in @dn/api), beside tRPC, with the same session token as a bearer token.
 */
import { redirect } from "@remix-run/node";
import { env } from "./env.server.ts";
import { requireSessionToken } from "./session.server.ts";

export interface UploadRefusal {
  status: number;
  message: string;
}

const base = () => env.DN_API_URL.replace(/\/$/, "");

/** Sends `file` to the API for `recordId`; returns the refusal's message when it is refused. */
export async function uploadEvidenceFile(
  request: Request,
  recordId: string,
  file: File,
): Promise<UploadRefusal | null> {
  const token = await requireSessionToken(request);
  const response = await fetch(`${base()}/files/records/${recordId}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/octet-stream",
      "x-file-name": encodeURIComponent(file.name || "certificate"),
    },
    body: new Uint8Array(await file.arrayBuffer()),
  });
  if (response.status === 401) throw redirect("/login");
  if (response.ok) return null;
  const body = (await response.json().catch(() => null)) as {
    error?: { message?: string };
  } | null;
  const message = (body?.error?.message ?? `the upload failed (HTTP ${response.status})`).replace(
    /^file: /,
    "",
  );
  if (response.status === 404 || response.status === 403) {
    throw new Response(message, { status: response.status });
  }
  return { status: response.status, message };
}

/** The API's answer for file `id`, as the signed-in user. */
export async function fetchEvidenceFile(request: Request, id: string): Promise<Response> {
  const token = await requireSessionToken(request);
  const response = await fetch(`${base()}/files/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status === 401) throw redirect("/login");
  return response;
}
