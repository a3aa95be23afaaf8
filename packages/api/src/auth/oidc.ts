/**
 * Single sign-on with OpenID Connect: the authorization code flow with PKCE (S256), state and
 * nonce, on openid-client. The library validates the callback and the ID token; this module
 * checks its inputs, reads the few claims we keep, and turns every failure into an
 * OidcSignInError whose message is ours, never the provider's text or a token.
 *
 * A sign-in is two calls around a redirect: `beginOidcSignIn` returns the URL to send the user to
 * and the secrets to keep until they return (in a signed, short-lived cookie, say);
 * `completeOidcSignIn` takes the URL they came back on and those secrets.
 */
import * as oidc from "openid-client";
import { DomainError, type DomainErrorCode } from "../errors.ts";

export interface OidcProviderSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** A discovered provider, ready to start and complete sign-ins for one client. */
export interface OidcClient {
  /** The issuer as the provider's metadata states it. */
  readonly issuer: string;
  readonly config: oidc.Configuration;
}

/** What must be kept between beginOidcSignIn and completeOidcSignIn, and never shown to others. */
export interface OidcSignInSecrets {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcSignInStart extends OidcSignInSecrets {
  /** The provider's authorization URL to redirect the user to. */
  url: string;
}

export interface OidcIdentity {
  /** The provider's stable identifier for the user (`sub`), unique per issuer. */
  subject: string;
  email: string | null;
  /** True only when the provider says so with a boolean `email_verified: true`. */
  emailVerified: boolean;
  name: string | null;
}

export const OIDC_SCOPE = "openid email profile";

/** Bounds each request to the provider, so a stalled provider cannot hold a sign-in open. */
const REQUEST_TIMEOUT_SECONDS = 10;
const MAX_SUBJECT_LENGTH = 255;
const MAX_EMAIL_LENGTH = 254;
const MAX_NAME_LENGTH = 200;

/**
 * A sign-in that failed or an unusable provider setting. The message names the field and the
 * problem in our words; `reason` is a short code (the OAuth error or the library's), for logs.
 */
export class OidcSignInError extends DomainError {
  readonly reason: string;

  constructor(code: DomainErrorCode, field: string, problem: string, reason: string) {
    super(code, problem, field);
    this.name = "OidcSignInError";
    this.reason = reason;
  }
}

/**
 * Fetches the provider's discovery document and returns a client for it. The issuer must be
 * https; http only with `allowHttp`, which the API grants to loopback issuers in tests.
 */
export async function discoverOidc(
  settings: OidcProviderSettings,
  options: { allowHttp?: boolean } = {},
): Promise<OidcClient> {
  const allowHttp = options.allowHttp ?? false;
  const issuer = parseIssuer(settings.issuer, allowHttp);
  const clientId = requireText(settings.clientId, "clientId");
  const clientSecret = requireText(settings.clientSecret, "clientSecret");
  const execute = allowHttp ? [oidc.allowInsecureRequests] : [];

  let config: oidc.Configuration;
  try {
    config = await oidc.discovery(
      issuer,
      clientId,
      clientSecret,
      oidc.ClientSecretBasic(clientSecret),
      { execute, timeout: REQUEST_TIMEOUT_SECONDS },
    );
  } catch (error) {
    throw toSignInError(error, "discovery");
  }

  // client_secret_basic is the default (OIDC Discovery); some providers offer only _post.
  const metadata = config.serverMetadata();
  const methods = metadata.token_endpoint_auth_methods_supported ?? ["client_secret_basic"];
  if (!methods.includes("client_secret_basic")) {
    if (!methods.includes("client_secret_post")) {
      throw new OidcSignInError(
        "BAD_REQUEST",
        "issuer",
        "the identity provider accepts neither client_secret_basic nor client_secret_post",
        "unsupported_client_auth",
      );
    }
    config = new oidc.Configuration(
      metadata,
      clientId,
      clientSecret,
      oidc.ClientSecretPost(clientSecret),
    );
    config.timeout = REQUEST_TIMEOUT_SECONDS;
    for (const apply of execute) apply(config);
  }
  return { issuer: metadata.issuer, config };
}

/** Starts a sign-in: fresh state, nonce and PKCE verifier, and the URL to send the user to. */
export async function beginOidcSignIn(
  client: OidcClient,
  input: { redirectUri: string },
): Promise<OidcSignInStart> {
  const redirectUri = parseRedirectUri(input.redirectUri);
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const codeChallenge = await oidc.calculatePKCECodeChallenge(codeVerifier);
  const url = oidc.buildAuthorizationUrl(client.config, {
    redirect_uri: redirectUri,
    response_type: "code",
    scope: OIDC_SCOPE,
    state,
    nonce,
    code_challenge: codeChallenge,
    code_challenge_method: "S256",
  });
  return { url: url.href, state, nonce, codeVerifier };
}

/**
 * Completes a sign-in from the URL the provider redirected back to: checks state, exchanges the
 * code with the PKCE verifier, verifies the ID token and its nonce, and reads the identity.
 * Email claims come from the ID token, or from userinfo when the ID token carries no email.
 */
export async function completeOidcSignIn(
  client: OidcClient,
  input: { callbackUrl: string | URL; expected: OidcSignInSecrets },
): Promise<OidcIdentity> {
  const callbackUrl = parseCallbackUrl(input.callbackUrl);
  const expected = {
    state: requireText(input.expected.state, "expected.state"),
    nonce: requireText(input.expected.nonce, "expected.nonce"),
    codeVerifier: requireText(input.expected.codeVerifier, "expected.codeVerifier"),
  };

  let idToken: oidc.IDToken;
  let accessToken: string;
  try {
    const tokens = await oidc.authorizationCodeGrant(client.config, callbackUrl, {
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      pkceCodeVerifier: expected.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) {
      throw new OidcSignInError(
        "UNAUTHORIZED",
        "callbackUrl",
        "the identity provider returned no ID token",
        "missing_id_token",
      );
    }
    idToken = claims;
    accessToken = tokens.access_token;
  } catch (error) {
    throw toSignInError(error, "callback");
  }

  const subject = idToken.sub;
  if (subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH) {
    throw invalidClaim("sub", `must be 1 to ${MAX_SUBJECT_LENGTH} characters`);
  }

  // email and email_verified are read from one source, so a verified flag never vouches for an
  // address it was not issued with.
  let emailSource: Record<string, unknown> = idToken;
  if (idToken.email === undefined && client.config.serverMetadata().userinfo_endpoint) {
    try {
      emailSource = await oidc.fetchUserInfo(client.config, accessToken, subject);
    } catch (error) {
      throw toSignInError(error, "userinfo");
    }
  }
  const email = readEmail(emailSource.email);
  return {
    subject,
    email,
    emailVerified: email !== null && emailSource.email_verified === true,
    name: readName(idToken.name !== undefined ? idToken.name : emailSource.name),
  };
}

function parseIssuer(value: unknown, allowHttp: boolean): URL {
  const text = requireText(value, "issuer");
  const url = URL.canParse(text) ? new URL(text) : null;
  if (!url) throw settingError("issuer", "is not a URL");
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw settingError("issuer", `must be an https URL, not ${url.protocol}`);
  }
  if (url.protocol === "http:" && !allowHttp) {
    throw settingError("issuer", "must use https");
  }
  if (url.username || url.password || url.search || url.hash) {
    throw settingError("issuer", "must not contain credentials, a query or a fragment");
  }
  return url;
}

function parseRedirectUri(value: unknown): string {
  const text = requireText(value, "redirectUri");
  const url = URL.canParse(text) ? new URL(text) : null;
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw settingError("redirectUri", "must be an absolute http(s) URL");
  }
  if (url.hash) throw settingError("redirectUri", "must not contain a fragment");
  return url.href;
}

function parseCallbackUrl(value: unknown): URL {
  if (value instanceof URL) return new URL(value.href);
  const text = requireText(value, "callbackUrl");
  if (!URL.canParse(text)) throw settingError("callbackUrl", "is not a URL");
  return new URL(text);
}

function requireText(value: unknown, field: string): string {
  if (typeof value !== "string") throw settingError(field, "must be a string");
  if (value.trim() === "") throw settingError(field, "must not be empty");
  return value;
}

function settingError(field: string, problem: string): OidcSignInError {
  return new OidcSignInError("BAD_REQUEST", field, problem, "invalid_input");
}

function invalidClaim(claim: string, problem: string): OidcSignInError {
  return new OidcSignInError(
    "UNAUTHORIZED",
    `claims.${claim}`,
    `the identity provider's ${claim} claim ${problem}`,
    "invalid_claim",
  );
}

function readEmail(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw invalidClaim("email", "is not a string");
  if (value.length > MAX_EMAIL_LENGTH || !/^[^\s@]+@[^\s@]+$/.test(value)) {
    throw invalidClaim("email", "is not an email address");
  }
  return value;
}

function readName(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const name = value.trim();
  if (name.length > MAX_NAME_LENGTH) {
    throw invalidClaim("name", `is longer than ${MAX_NAME_LENGTH} characters`);
  }
  return name === "" ? null : name;
}

type Stage = "discovery" | "callback" | "userinfo";

/** Library errors carry provider text and token fragments; only codes cross into ours. */
function toSignInError(error: unknown, stage: Stage): OidcSignInError {
  if (error instanceof OidcSignInError) return error;
  const field = stage === "discovery" ? "issuer" : "callbackUrl";
  const code: DomainErrorCode = stage === "discovery" ? "BAD_REQUEST" : "UNAUTHORIZED";
  const fail = (problem: string, reason: string, at = field) =>
    new OidcSignInError(code, at, problem, reason);

  if (error instanceof oidc.AuthorizationResponseError) {
    const reason = safeCode(error.error);
    return fail(`the identity provider refused the sign-in (${reason})`, reason);
  }
  // A refused client authentication arrives as a JSON body or, with a 401, as a challenge.
  const oauthError =
    error instanceof oidc.ResponseBodyError
      ? error.error
      : error instanceof oidc.WWWAuthenticateChallengeError
        ? (error.cause[0]?.parameters.error ??
          (stage === "callback" && error.status === 401 ? "invalid_client" : "unknown"))
        : null;
  if (oauthError !== null) {
    const reason = safeCode(oauthError);
    if (reason === "invalid_grant") {
      return fail("the authorization code is invalid, expired or already used", reason);
    }
    if (reason === "invalid_client" || reason === "unauthorized_client") {
      return fail(
        `the identity provider did not accept the client credentials (${reason})`,
        reason,
        "clientSecret",
      );
    }
    return fail(`the identity provider refused the request (${reason})`, reason);
  }
  if (isUnreachable(error)) {
    return fail("the identity provider could not be reached", "unreachable", "issuer");
  }

  const libraryCode = error instanceof Error && "code" in error ? safeCode(error.code) : "unknown";
  const detail = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
  switch (libraryCode) {
    case "OAUTH_HTTP_REQUEST_FORBIDDEN":
    case "OAUTH_REQUEST_PROTOCOL_FORBIDDEN":
      return fail("the identity provider's endpoints must use https", libraryCode, "issuer");
    case "OAUTH_RESPONSE_IS_NOT_CONFORM":
    case "OAUTH_RESPONSE_IS_NOT_JSON":
    case "OAUTH_PARSE_ERROR":
      return stage === "discovery"
        ? fail("no OpenID Connect discovery document was found at this issuer", libraryCode)
        : fail("the identity provider's response is not valid", libraryCode);
    case "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED":
      return stage === "discovery"
        ? fail("the discovery document names a different issuer", libraryCode)
        : fail("the identity provider's response is about a different user", libraryCode);
    case "OAUTH_JWT_CLAIM_COMPARISON_FAILED":
      return fail("the ID token was not issued for this sign-in", libraryCode);
    case "OAUTH_JWT_TIMESTAMP_CHECK_FAILED":
      return fail("the ID token is expired or not yet valid", libraryCode);
    case "OAUTH_KEY_SELECTION_FAILED":
      return fail(
        "the ID token is not signed with a key the identity provider publishes",
        libraryCode,
      );
    case "OAUTH_INVALID_RESPONSE":
      if (detail.includes('"state"')) {
        return fail("the state does not match the sign-in that was started", libraryCode);
      }
      if (detail.includes("signature")) {
        return fail("the ID token signature is not valid", libraryCode);
      }
      return fail("the identity provider's response is not valid", libraryCode);
    default:
      return fail("the identity provider's response could not be verified", libraryCode);
  }
}

/** fetch's own failures: refused connections, DNS errors, timeouts. */
function isUnreachable(error: unknown): boolean {
  if (error instanceof DOMException) {
    return error.name === "TimeoutError" || error.name === "AbortError";
  }
  return error instanceof TypeError && !("code" in error) && error.message === "fetch failed";
}

function safeCode(value: unknown): string {
  return typeof value === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : "unknown";
}
