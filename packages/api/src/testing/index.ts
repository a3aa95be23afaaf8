/** Real servers for tests of other packages (the admin app's browser tests): SMTP, OpenID, S3. */

export { totpCodeAt } from "../auth/totp.ts";
export { startOidcTestProvider } from "./oidc-test-provider.ts";
export { type S3TestServer, startS3TestServer } from "./s3-test-server.ts";
export { type CapturedMail, type SmtpTestServer, startSmtpTestServer } from "./smtp-test-server.ts";
