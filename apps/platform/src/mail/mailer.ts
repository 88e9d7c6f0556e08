import { createRequire } from 'node:module';
import type { PlatformConfig } from '../config.js';

/** Sends plain-text e-mail (review decisions, suspensions). */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
  close(): void;
}

/**
 * A mailer over SMTP (nodemailer) when `smtpUrl` is set, else undefined: e-mail is optional, the
 * console is where operators are always told. Timeouts are short so a dead mail server delays an
 * administrator's decision by seconds at most (the decision itself is already committed).
 */
export function createMailer(config: Pick<PlatformConfig, 'smtpUrl' | 'mailFrom'>): Mailer | undefined {
  if (!config.smtpUrl) return undefined;
  const url = new URL(config.smtpUrl);
  const secure = url.protocol === 'smtps:';
  // Loaded only when mail is configured: nodemailer holds ~3 MB of the process for nothing otherwise.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    connectionTimeout: 5000,
    greetingTimeout: 5000,
    socketTimeout: 10_000,
  });
  return {
    async send({ to, subject, text }) {
      await transport.sendMail({ from: config.mailFrom, to, subject, text });
    },
    close() {
      transport.close();
    },
  };
}
