/**
 * A real OpenID provider (oidc-provider) for tests, run in the test process on 127.0.0.1.
 *
 * It knows only the clients and accounts it is given. Its quick-start conveniences (development
 * interactions, signing keys, memory adapter) are replaced by the small pieces below, so it prints
 * no development warnings and keeps no state outside one instance. `signIn` plays the browser:
 * it follows the provider's redirects over HTTP, keeps its cookies and submits the login and
 * consent steps of the interaction pages mounted beside the provider.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, {
  type Account,
  type Adapter,
  type AdapterPayload,
  type ClientAuthMethod,
  type Configuration,
  type JWK,
} from "oidc-provider";

export interface OidcTestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface OidcTestAccount {
  subject: string;
  email: string;
  emailVerified: boolean;
  name: string;
}

export interface OidcTestProviderOptions {
  clients: OidcTestClient[];
  accounts: OidcTestAccount[];
  /**
   * Put the email and profile claims in the ID token and switch the userinfo endpoint off.
   * By default the provider conforms to OIDC Core: with an access token issued, scope claims are
   * served only by userinfo.
   */
  claimsInIdToken?: boolean;
  /** How clients may authenticate at the token endpoint; the first is registered for each client. */
  clientAuthMethods?: ClientAuthMethod[];
}

export interface OidcTestProvider {
  issuer: string;
  close(): Promise<void>;
  /**
   * Signs `subject` in at `authorizationUrl` as a browser would and returns the provider's final
   * redirect to the client's redirect_uri (with `code` and `state`), without requesting it.
   */
  signIn(authorizationUrl: string, subject: string): Promise<string>;
}

const INTERACTION_PATH = "/interaction/";
const MAX_HOPS = 20;
const MAX_FORM_BYTES = 4096;

export async function startOidcTestProvider(
  options: OidcTestProviderOptions,
): Promise<OidcTestProvider> {
  const accounts = new Map(options.accounts.map((account) => [account.subject, account]));
  const authMethods = options.clientAuthMethods ?? ["client_secret_basic"];
  const claimsInIdToken = options.claimsInIdToken ?? false;

  // The issuer names the port, so the provider is built once the server listens.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const configuration: Configuration = {
    adapter: createMemoryAdapter(),
    jwks: { keys: [generateSigningKey()] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: authMethods[0],
    })),
    clientAuthMethods: authMethods,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    conformIdTokenClaims: !claimsInIdToken,
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: !claimsInIdToken },
    },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account ? toProviderAccount(account) : undefined;
    },
    // Plain JSON, so signIn can report what the provider refused.
    renderError: (ctx, out) => {
      ctx.type = "json";
      ctx.body = out;
    },
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
      Grant: 600,
    },
  };
  const provider = new Provider(issuer, configuration);
  const providerHandler = provider.callback();

  handle = (req, res) => {
    if (req.url?.startsWith(INTERACTION_PATH)) {
      handleInteraction(provider, accounts, req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(400, { "content-type": "text/plain" });
        res.end(error instanceof Error ? error.message : String(error));
      });
      return;
    }
    void providerHandler(req, res);
  };

  return {
    issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets from fetch would otherwise hold the port open.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
    signIn: (authorizationUrl, subject) => driveSignIn(issuer, authorizationUrl, subject),
  };
}

function toProviderAccount(account: OidcTestAccount): Account {
  return {
    accountId: account.subject,
    claims: () => ({
      sub: account.subject,
      email: account.email,
      email_verified: account.emailVerified,
      name: account.name,
    }),
  };
}

/** An RS256 key: openid-client expects RS256 ID tokens unless the client registers otherwise. */
function generateSigningKey(): JWK {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), alg: "RS256", use: "sig" } as JWK;
}

/**
 * The provider's storage for one instance: a Map, dropped with the provider. Expiry is left to
 * the provider, which checks `exp` on every artifact it loads.
 */
function createMemoryAdapter(): (model: string) => Adapter {
  const store = new Map<string, AdapterPayload>();
  const sessionsByUid = new Map<string, string>();
  const keysByGrant = new Map<string, Set<string>>();

  return (model) => {
    const keyOf = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload) {
        const key = keyOf(id);
        store.set(key, payload);
        if (model === "Session" && payload.uid) sessionsByUid.set(payload.uid, id);
        if (payload.grantId) {
          const keys = keysByGrant.get(payload.grantId) ?? new Set<string>();
          keys.add(key);
          keysByGrant.set(payload.grantId, keys);
        }
      },
      async find(id) {
        return store.get(keyOf(id));
      },
      async findByUid(uid) {
        const id = sessionsByUid.get(uid);
        return id === undefined ? undefined : store.get(keyOf(id));
      },
      async findByUserCode() {
        return undefined;
      },
      async consume(id) {
        const payload = store.get(keyOf(id));
        // The provider only tests `consumed` for truth; a timestamp would need the wall clock.
        if (payload) payload.consumed = true;
      },
      async destroy(id) {
        store.delete(keyOf(id));
      },
      async revokeByGrantId(grantId) {
        for (const key of keysByGrant.get(grantId) ?? []) store.delete(key);
        keysByGrant.delete(grantId);
      },
    };
  };
}

/**
 * The interaction pages: GET shows a one-field form, POST completes the current prompt — login
 * with the submitted subject, then consent to every scope and claim the client asked for.
 */
async function handleInteraction(
  provider: Provider,
  accounts: Map<string, OidcTestAccount>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const interaction = await provider.interactionDetails(req, res);
  const prompt = interaction.prompt.name;

  if (req.method === "GET") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end('<form method="post"><input name="subject"><button>Continue</button></form>');
    return;
  }
  if (req.method !== "POST") {
    res.writeHead(405, { allow: "GET, POST" }).end();
    return;
  }

  const form = await readForm(req);
  if (prompt === "login") {
    const subject = form.get("subject") ?? "";
    if (!accounts.has(subject)) throw new Error(`subject: no account ${JSON.stringify(subject)}`);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: subject } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (prompt === "consent") {
    const accountId = interaction.session?.accountId;
    const clientId = interaction.params.client_id;
    if (!accountId || typeof clientId !== "string") {
      throw new Error("consent: the interaction has no signed-in account or client");
    }
    const grant = interaction.grantId
      ? await provider.Grant.find(interaction.grantId)
      : new provider.Grant({ accountId, clientId });
    if (!grant) throw new Error("consent: the interaction's grant no longer exists");
    const missingScope = interaction.prompt.details.missingOIDCScope;
    const missingClaims = interaction.prompt.details.missingOIDCClaims;
    if (Array.isArray(missingScope)) grant.addOIDCScope(missingScope.join(" "));
    if (Array.isArray(missingClaims)) grant.addOIDCClaims(missingClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
    return;
  }
  throw new Error(`prompt: ${JSON.stringify(prompt)} is not handled by the test provider`);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = "";
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_FORM_BYTES) throw new Error("body: the form is too large");
  }
  return new URLSearchParams(body);
}

/** Follows the provider's redirects with a cookie jar, submitting each interaction page. */
async function driveSignIn(
  issuer: string,
  authorizationUrl: string,
  subject: string,
): Promise<string> {
  const origin = new URL(issuer).origin;
  let url = new URL(authorizationUrl);
  if (url.origin !== origin) {
    throw new Error(`authorizationUrl: ${url.origin} is not this provider (${origin})`);
  }
  const redirectUri = url.searchParams.get("redirect_uri");
  if (!redirectUri) throw new Error("authorizationUrl: has no redirect_uri");
  const callbackTarget = withoutQuery(new URL(redirectUri));

  const jar = new CookieJar();
  let form: URLSearchParams | null = null;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const response = await fetch(url, {
      method: form ? "POST" : "GET",
      headers: { cookie: jar.headerFor(url) },
      body: form,
      redirect: "manual",
    });
    jar.store(url, response.headers.getSetCookie());
    const location = response.headers.get("location");

    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const next = new URL(location, url);
      if (withoutQuery(next) === callbackTarget) return next.href;
      if (next.origin !== origin) {
        throw new Error(`signIn: the provider redirected away to ${withoutQuery(next)}`);
      }
      url = next;
      form = null;
      continue;
    }
    if (response.status === 200 && url.pathname.startsWith(INTERACTION_PATH)) {
      await response.text();
      form = new URLSearchParams({ subject });
      continue;
    }
    const body = await response.text();
    throw new Error(
      `signIn: ${form ? "POST" : "GET"} ${url.pathname} answered ${response.status}: ${body}`,
    );
  }
  throw new Error(`signIn: more than ${MAX_HOPS} requests without reaching ${callbackTarget}`);
}

function withoutQuery(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Cookies by name and path, sent to paths they match, as a browser keeps them for one host. */
class CookieJar {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  store(requestUrl: URL, setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = "", ...attributes] = header.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const pathAttribute = attributes
        .map((attribute) => attribute.trim())
        .find((attribute) => attribute.toLowerCase().startsWith("path="));
      const path = pathAttribute?.slice("path=".length) || defaultPath(requestUrl);
      const key = `${name}\u0000${path}`;
      // Koa clears a cookie by setting it empty with an expiry in the past.
      if (value === "") this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path });
    }
  }

  headerFor(url: URL): string {
    return [...this.#cookies.values()]
      .filter((cookie) => pathMatches(url.pathname, cookie.path))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join("; ");
  }
}

function defaultPath(url: URL): string {
  const slash = url.pathname.lastIndexOf("/");
  return slash <= 0 ? "/" : url.pathname.slice(0, slash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  const prefix = cookiePath.endsWith("/") ? cookiePath : `${cookiePath}/`;
  return requestPath.startsWith(prefix);
}
