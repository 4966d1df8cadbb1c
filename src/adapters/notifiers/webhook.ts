import type {
  AlertChannelSettings,
  AlertDeliveryResult,
  AlertNotification,
} from '../../domain/alerts/alert-notification.ts';
import { webhookBody } from '../../domain/alerts/channel-messages.ts';
import { postJson } from './receiver-http.ts';

/** The generic webhook: one POST of all the notifications as JSON; any 2xx is taken. */
export async function sendWebhook(
  settings: Extract<AlertChannelSettings, { type: 'webhook' }>,
  notifications: AlertNotification[],
): Promise<AlertDeliveryResult> {
  const answer = await postJson('webhook', settings.url, webhookBody(notifications));
  return { sent: 1, batched: 0, answer: `HTTP ${answer.status}${answer.text ? `: ${answer.text}` : ''}` };
}
