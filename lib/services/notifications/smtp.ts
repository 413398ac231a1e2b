import nodemailer from "nodemailer";
import type { NotificationSettings } from "@/db/schema";
import { env } from "@/lib/env";
import { openSmtpPassword } from "./secrets";

export class SmtpNotConfigured extends Error {
  constructor() {
    super("No SMTP server is configured: set one in notification settings, or SMTP_URL on the server.");
  }
}

/** The MSP's own SMTP server when it set one, else the server's SMTP_URL; a transport per send, closed after it. */
export function smtpTransport(settings: NotificationSettings | null) {
  const timeout = env.NOTIFY_SEND_TIMEOUT_SECONDS * 1000;
  const timeouts = { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout };
  if (settings?.smtpHost) {
    const auth = settings.smtpUser
      ? { user: settings.smtpUser, pass: settings.smtpPasswordEnvelope ? openSmtpPassword(settings.mspId, settings.smtpPasswordEnvelope) : "" }
      : undefined;
    return {
      transport: nodemailer.createTransport({ host: settings.smtpHost, port: settings.smtpPort ?? (settings.smtpSecure ? 465 : 587), secure: settings.smtpSecure, auth, ...timeouts }),
      from: settings.smtpFrom ?? env.SMTP_FROM,
    };
  }
  if (!env.SMTP_URL) throw new SmtpNotConfigured();
  return { transport: nodemailer.createTransport({ url: env.SMTP_URL, ...timeouts }), from: settings?.smtpFrom ?? env.SMTP_FROM };
}
