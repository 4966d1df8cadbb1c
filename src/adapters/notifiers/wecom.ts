import type {
  AlertChannelSettings,
  AlertDeliveryResult,
  AlertNotification,
} from '../../domain/alerts/alert-notification.ts';
import { wecomPayload } from '../../domain/alerts/channel-messages.ts';
import { ROBOT_RATE_LIMITS } from '../../domain/alerts/rate-window.ts';
import { postJson, robotAnswer } from './receiver-http.ts';
import type { RobotDelivery } from './robot-delivery.ts';

/** WeCom group robot: markdown messages (its key is in the address); errcode other than 0 is a refusal. */
export function sendWecom(
  settings: Extract<AlertChannelSettings, { type: 'wecom' }>,
  notifications: AlertNotification[],
  robots: RobotDelivery,
): Promise<AlertDeliveryResult> {
  return robots.deliver(settings.url, ROBOT_RATE_LIMITS.wecom, notifications, async (group, merged) =>
    robotAnswer('wecom', await postJson('wecom', settings.url, wecomPayload(group, merged))),
  );
}
