/** A real SMTP server on a free local port that keeps every message, for tests that send mail. */
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface CapturedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpTestServer {
  port: number;
  /** `smtp://127.0.0.1:<port>` for createSmtpMailer. */
  url: string;
  messages: CapturedMail[];
  /** The plain-text body of the message sent to `address` most recently. */
  lastTextTo(address: string): Promise<string | null>;
  stop(): Promise<void>;
}

export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const messages: CapturedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async lastTextTo(address) {
      const message = [...messages].reverse().find((m) => m.to.includes(address.toLowerCase()));
      return message ? ((await simpleParser(message.raw)).text ?? "") : null;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
