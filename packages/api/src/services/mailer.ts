/**
 * Sending mail: an SMTP transport (nodemailer) configured from settings the host reads from its
 * environment (DN_SMTP_URL, DN_MAIL_FROM). Tests point it at a local SMTP server.
 */
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
