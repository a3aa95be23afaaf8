import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type OidcTestProvider, startOidcTestProvider } from "../testing/oidc-test-provider.ts";
import {
  beginOidcSignIn,
  completeOidcSignIn,
  discoverOidc,
  type OidcClient,
  OidcSignInError,
} from "./oidc.ts";

const client = {
  clientId: "dn-admin",
  clientSecret: "a-client-secret-long-enough-for-hs256-0123456789",
  redirectUris: ["http://127.0.0.1:5173/sso/callback"],
};
const redirectUri = "http://127.0.0.1:5173/sso/callback";
const accounts = [
  { subject: "ada-1", email: "ada@example.test", emailVerified: true, name: "Ada Lovelace" },
  { subject: "bob-2", email: "bob@example.test", emailVerified: false, name: "Bob Unverified" },
];

/** Resolves with the rejection, so a test can inspect its type and fields. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

describe("OpenID Connect sign-in against a real provider", () => {
  let provider: OidcTestProvider;
  let oidc: OidcClient;

  beforeAll(async () => {
    provider = await startOidcTestProvider({ clients: [client], accounts });
    oidc = await discoverOidc({ ...client, issuer: provider.issuer }, { allowHttp: true });
  });
  afterAll(() => provider.close());

  test("a full sign-in returns the subject, the verified email and the name", async () => {
    const start = await beginOidcSignIn(oidc, { redirectUri });
    const url = new URL(start.url);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("scope")).toBe("openid email profile");
    expect(url.searchParams.get("code_challenge")).not.toBe(start.codeVerifier);

    const callbackUrl = await provider.signIn(start.url, "ada-1");
    const identity = await completeOidcSignIn(oidc, { callbackUrl, expected: start });

    expect(identity).toEqual({
      subject: "ada-1",
      email: "ada@example.test",
      emailVerified: true,
      name: "Ada Lovelace",
    });
  });

  test("an account whose email is not verified reports emailVerified false", async () => {
    const start = await beginOidcSignIn(oidc, { redirectUri });
    const callbackUrl = await provider.signIn(start.url, "bob-2");
    const identity = await completeOidcSignIn(oidc, { callbackUrl, expected: start });

    expect(identity.email).toBe("bob@example.test");
    expect(identity.emailVerified).toBe(false);
  });

  test("a callback whose state was tampered with is refused", async () => {
    const start = await beginOidcSignIn(oidc, { redirectUri });
    const callbackUrl = new URL(await provider.signIn(start.url, "ada-1"));
    callbackUrl.searchParams.set("state", `${start.state}x`);

    const error = await rejectionOf(completeOidcSignIn(oidc, { callbackUrl, expected: start }));
    expect(error).toBeInstanceOf(OidcSignInError);
    expect((error as OidcSignInError).field).toBe("callbackUrl");
    expect((error as OidcSignInError).message).toMatch(/state/);
  });

  test("a callback replayed with the same code is refused, without echoing the code", async () => {
    const start = await beginOidcSignIn(oidc, { redirectUri });
    const callbackUrl = await provider.signIn(start.url, "ada-1");
    await completeOidcSignIn(oidc, { callbackUrl, expected: start });

    const error = await rejectionOf(completeOidcSignIn(oidc, { callbackUrl, expected: start }));
    expect(error).toBeInstanceOf(OidcSignInError);
    expect((error as OidcSignInError).reason).toBe("invalid_grant");
    const code = new URL(callbackUrl).searchParams.get("code") ?? "";
    expect(code).not.toBe("");
    expect((error as OidcSignInError).message).not.toContain(code);
  });

  test("a nonce from another sign-in is refused", async () => {
    const start = await beginOidcSignIn(oidc, { redirectUri });
    const other = await beginOidcSignIn(oidc, { redirectUri });
    const callbackUrl = await provider.signIn(start.url, "ada-1");

    const error = await rejectionOf(
      completeOidcSignIn(oidc, { callbackUrl, expected: { ...start, nonce: other.nonce } }),
    );
    expect(error).toBeInstanceOf(OidcSignInError);
    expect((error as OidcSignInError).message).toMatch(/ID token was not issued for this sign-in/);
  });

  test("a PKCE verifier from another sign-in is refused by the provider", async () => {
    const start = await beginOidcSignIn(oidc, { redirectUri });
    const other = await beginOidcSignIn(oidc, { redirectUri });
    const callbackUrl = await provider.signIn(start.url, "ada-1");

    const error = await rejectionOf(
      completeOidcSignIn(oidc, {
        callbackUrl,
        expected: { ...start, codeVerifier: other.codeVerifier },
      }),
    );
    expect(error).toBeInstanceOf(OidcSignInError);
    expect((error as OidcSignInError).reason).toBe("invalid_grant");
  });

  test("missing sign-in secrets are refused naming the field", async () => {
    const start = await beginOidcSignIn(oidc, { redirectUri });
    const error = await rejectionOf(
      completeOidcSignIn(oidc, {
        callbackUrl: `${redirectUri}?code=x&state=${start.state}`,
        expected: { ...start, codeVerifier: "" },
      }),
    );
    expect(error).toBeInstanceOf(OidcSignInError);
    expect((error as OidcSignInError).message).toBe("expected.codeVerifier: must not be empty");
  });

  test("the test provider refuses to sign in a subject it has no account for", async () => {
    const start = await beginOidcSignIn(oidc, { redirectUri });
    await expect(provider.signIn(start.url, "nobody")).rejects.toThrow(/no account "nobody"/);
  });

  test("a redirect URI the client did not register is refused by the provider", async () => {
    const start = await beginOidcSignIn(oidc, { redirectUri: "http://127.0.0.1:5173/elsewhere" });
    await expect(provider.signIn(start.url, "ada-1")).rejects.toThrow(/redirect_uri/);
  });
});

describe("OpenID Connect provider settings", () => {
  test.each([
    ["ftp://idp.example.test", "issuer: must be an https URL, not ftp:"],
    ["javascript:alert(1)", "issuer: must be an https URL, not javascript:"],
    ["not a url", "issuer: is not a URL"],
    ["", "issuer: must not be empty"],
    [
      "https://user:pw@idp.example.test",
      "issuer: must not contain credentials, a query or a fragment",
    ],
  ])("the issuer %j is refused", async (issuer, message) => {
    const error = await rejectionOf(
      discoverOidc({ issuer, clientId: "c", clientSecret: "s" }, { allowHttp: true }),
    );
    expect(error).toBeInstanceOf(OidcSignInError);
    expect((error as OidcSignInError).field).toBe("issuer");
    expect((error as OidcSignInError).message).toBe(message);
  });

  test("an empty client secret is refused naming clientSecret", async () => {
    const error = await rejectionOf(
      discoverOidc({ issuer: "https://idp.example.test", clientId: "c", clientSecret: " " }),
    );
    expect((error as OidcSignInError).message).toBe("clientSecret: must not be empty");
  });

  test("an http issuer is refused unless allowHttp, and discovered with it", async () => {
    const provider = await startOidcTestProvider({ clients: [client], accounts });
    try {
      const settings = { ...client, issuer: provider.issuer };
      const error = await rejectionOf(discoverOidc(settings));
      expect(error).toBeInstanceOf(OidcSignInError);
      expect((error as OidcSignInError).message).toBe("issuer: must use https");

      const discovered = await discoverOidc(settings, { allowHttp: true });
      expect(discovered.issuer).toBe(provider.issuer);
    } finally {
      await provider.close();
    }
  });

  test("an issuer nobody listens on is reported as unreachable", async () => {
    const provider = await startOidcTestProvider({ clients: [client], accounts });
    await provider.close();
    const error = await rejectionOf(
      discoverOidc({ ...client, issuer: provider.issuer }, { allowHttp: true }),
    );
    expect(error).toBeInstanceOf(OidcSignInError);
    expect((error as OidcSignInError).message).toBe(
      "issuer: the identity provider could not be reached",
    );
  });
});

describe("OpenID Connect providers that differ", () => {
  test("email claims in the ID token are used without a userinfo endpoint", async () => {
    const provider = await startOidcTestProvider({
      clients: [client],
      accounts,
      claimsInIdToken: true,
    });
    try {
      const oidc = await discoverOidc({ ...client, issuer: provider.issuer }, { allowHttp: true });
      expect(oidc.config.serverMetadata().userinfo_endpoint).toBeUndefined();
      const start = await beginOidcSignIn(oidc, { redirectUri });
      const callbackUrl = await provider.signIn(start.url, "ada-1");

      expect(await completeOidcSignIn(oidc, { callbackUrl, expected: start })).toEqual({
        subject: "ada-1",
        email: "ada@example.test",
        emailVerified: true,
        name: "Ada Lovelace",
      });
    } finally {
      await provider.close();
    }
  });

  test("a provider that only accepts client_secret_post is signed in with it", async () => {
    const provider = await startOidcTestProvider({
      clients: [client],
      accounts,
      clientAuthMethods: ["client_secret_post"],
    });
    try {
      const oidc = await discoverOidc({ ...client, issuer: provider.issuer }, { allowHttp: true });
      const start = await beginOidcSignIn(oidc, { redirectUri });
      const callbackUrl = await provider.signIn(start.url, "bob-2");

      const identity = await completeOidcSignIn(oidc, { callbackUrl, expected: start });
      expect(identity.subject).toBe("bob-2");
    } finally {
      await provider.close();
    }
  });

  test("a wrong client secret is refused naming clientSecret", async () => {
    const provider = await startOidcTestProvider({ clients: [client], accounts });
    try {
      const oidc = await discoverOidc(
        { ...client, clientSecret: "not-the-secret", issuer: provider.issuer },
        { allowHttp: true },
      );
      const start = await beginOidcSignIn(oidc, { redirectUri });
      const callbackUrl = await provider.signIn(start.url, "ada-1");

      const error = await rejectionOf(completeOidcSignIn(oidc, { callbackUrl, expected: start }));
      expect(error).toBeInstanceOf(OidcSignInError);
      expect((error as OidcSignInError).field).toBe("clientSecret");
      expect((error as OidcSignInError).message).not.toContain("not-the-secret");
    } finally {
      await provider.close();
    }
  });
});
