import nodemailer from 'nodemailer';
import type {
  AlertChannelSettings,
  AlertDeliveryResult,
  AlertNotification,
} from '../../domain/alerts/alert-notification.ts';
import { emailMessage } from '../../domain/alerts/channel-messages.ts';
import { refused, unreachable } from './receiver-http.ts';

/** Errors of the connection itself, as opposed to an SMTP reply refusing the mail. */
const CONNECTION = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED']);

/**
 * Email over SMTP: one mail with every notification, plain text and HTML. With `tls`, port 465 is
 * implicit TLS and any other port must offer STARTTLS; without it (a local test server) plain SMTP.
 */
export async function sendEmail(
  settings: Extract<AlertChannelSettings, { type: 'email' }>,
  notifications: AlertNotification[],
): Promise<AlertDeliveryResult> {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.tls && settings.port === 465,
    requireTLS: settings.tls && settings.port !== 465,
    ignoreTLS: !settings.tls,
    ...(settings.username ? { auth: { user: settings.username, pass: settings.password ?? '' } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  const mail = emailMessage(notifications);
  try {
    const info = await transport.sendMail({
      from: settings.from,
      to: settings.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
    return { sent: 1, batched: 0, answer: String(info.response) };
  } catch (e) {
    const err = e as Error & { code?: string; response?: string };
    if (err.code && CONNECTION.has(err.code))
      throw unreachable('email', `${settings.host}:${settings.port}`, err.message);
    throw refused('email', err.response ?? err.message);
  } finally {
    transport.close();
  }
}
