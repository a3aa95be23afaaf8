/**
 * The regulator API's interactive reference: Swagger UI (from the `swagger-ui-dist` package,
 * served from this process, never a CDN) reading `/openapi.json`.
 *
 *   GET /api/docs                     the page
 *   GET /api/docs/<asset>             Swagger UI's script, stylesheet and icon, and init.js
 *
 * The page runs under a strict CSP: scripts and styles only from this origin, no inline script
 * (the page's one line of setup is the file init.js), fetches only to this origin, never framed.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export const API_DOCS_PATH = "/api/docs";

export const API_DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // Swagger UI's stylesheet draws its icons as data: SVGs.
  "img-src 'self' data:",
  "font-src 'self'",
  // /openapi.json and "Try it out" requests go to this API only.
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = {
  "content-security-policy": API_DOCS_CSP,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
} as const;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>dn regulator API</title>
    <link rel="stylesheet" href="${API_DOCS_PATH}/swagger-ui.css" />
    <link rel="icon" type="image/png" href="${API_DOCS_PATH}/favicon-32x32.png" sizes="32x32" />
  </head>
  <body>
    <noscript>This page needs JavaScript. The API's description is at <a href="/openapi.json">/openapi.json</a>.</noscript>
    <div id="swagger-ui"></div>
    <script src="${API_DOCS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${API_DOCS_PATH}/init.js"></script>
  </body>
</html>
`;

// Plain script (not a module), so it runs after the bundle above; relative to this page's
// origin so a proxy in front of the API keeps working. The validator badge would call out to a
// third-party host: off.
const INIT = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: new URL("/openapi.json", window.location.href).toString(),
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
`;

/** The package's files this page serves, with their content types. */
const PACKAGE_ASSETS: Record<string, string> = {
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui.css": "text/css; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

function swaggerUiDirectory(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("swagger-ui-dist/package.json"));
}

interface Asset {
  body: Buffer;
  contentType: string;
}

/**
 * Returns a handler that answers the docs paths and returns false for any other request. The
 * package's files are read once, on first use.
 */
export function createApiDocsHandler(): (req: IncomingMessage, res: ServerResponse) => boolean {
  const assets = new Map<string, Asset>([
    ["init.js", { body: Buffer.from(INIT, "utf8"), contentType: "text/javascript; charset=utf-8" }],
  ]);
  let directory: string | undefined;

  function asset(name: string): Asset | undefined {
    const cached = assets.get(name);
    if (cached) return cached;
    const contentType = PACKAGE_ASSETS[name];
    if (!contentType) return undefined;
    directory ??= swaggerUiDirectory();
    const loaded = { body: readFileSync(join(directory, name)), contentType };
    assets.set(name, loaded);
    return loaded;
  }

  return (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path !== API_DOCS_PATH && !path.startsWith(`${API_DOCS_PATH}/`)) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", ...SECURITY_HEADERS }).end();
      return true;
    }
    if (path === API_DOCS_PATH || path === `${API_DOCS_PATH}/`) {
      const body = Buffer.from(PAGE, "utf8");
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-length": body.length,
        "cache-control": "no-cache",
        ...SECURITY_HEADERS,
      });
      res.end(req.method === "HEAD" ? undefined : body);
      return true;
    }
    const found = asset(path.slice(API_DOCS_PATH.length + 1));
    if (!found) {
      const body = Buffer.from(
        JSON.stringify({ error: { code: "NOT_FOUND", message: `no such file: ${path}` } }),
      );
      res.writeHead(404, {
        "content-type": "application/json; charset=utf-8",
        "content-length": body.length,
        ...SECURITY_HEADERS,
      });
      res.end(body);
      return true;
    }
    res.writeHead(200, {
      "content-type": found.contentType,
      "content-length": found.body.length,
      "cache-control": "public, max-age=3600",
      ...SECURITY_HEADERS,
    });
    res.end(req.method === "HEAD" ? undefined : found.body);
    return true;
  };
}
