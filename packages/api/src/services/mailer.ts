/**
 * Sending mail: an SMTP transport (nodemailer) configured from settings the host reads from its
 * environment (DN_SMTP_URL, DN_MAIL_FROM). Tests point it at a local SMTP server.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTransport } from "nodemailer";

export interface Mailer {
  send(message: { to: string; subject: string; text: string; html?: string }): Promise<void>;
  close(): void;
}

export interface SmtpSettings {
  /** e.g. `smtp://user:pass@mail.example.org:587` or `smtps://...:465`. */
  url: string;
  from: string;
}

export function createSmtpMailer(settings: SmtpSettings): Mailer {
  const transport = createTransport(settings.url);
  return {
    async send(message) {
      await transport.sendMail({ from: settings.from, ...message });
    },
    close() {
      transport.close();
    },
  };
}

/**
 * A mailer for single-machine installs without SMTP: each message is written, as a standard
 * .eml file any mail program opens, to `directory`. The quick start uses it (data/outbox).
 */
export function createOutboxMailer(settings: { directory: string; from: string }): Mailer {
  mkdirSync(settings.directory, { recursive: true });
  const transport = createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    async send(message) {
      const info = await transport.sendMail({ from: settings.from, ...message });
      const file = join(settings.directory, `${randomUUID()}.eml`);
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
    },
    close() {
      transport.close();
    },
  };
}
