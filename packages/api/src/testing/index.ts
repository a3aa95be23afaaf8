/** Real servers for tests of other packages (the admin app's browser tests): SMTP and OpenID. */

export { totpCodeAt } from "../auth/totp.ts";
export { startOidcTestProvider } from "./oidc-test-provider.ts";
export { type CapturedMail, type SmtpTestServer, startSmtpTestServer } from "./smtp-test-server.ts";
