import type {
  AlertChannelSettings,
  AlertDeliveryResult,
  AlertNotification,
} from '../../domain/alerts/alert-notification.ts';
import { larkPayload } from '../../domain/alerts/channel-messages.ts';
import { ROBOT_RATE_LIMITS } from '../../domain/alerts/rate-window.ts';
import { larkSign } from '../../domain/alerts/robot-signing.ts';
import { postJson, robotAnswer } from './receiver-http.ts';
import type { RobotDelivery } from './robot-delivery.ts';

/** Lark/Feishu custom bot: interactive cards, signed in the body when the bot has a secret; code other than 0 is a refusal. */
export function sendLark(
  settings: Extract<AlertChannelSettings, { type: 'lark' }>,
  notifications: AlertNotification[],
  robots: RobotDelivery,
): Promise<AlertDeliveryResult> {
  return robots.deliver(settings.url, ROBOT_RATE_LIMITS.lark, notifications, async (group, merged) => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = settings.secret ? { timestamp, sign: larkSign(settings.secret, timestamp) } : null;
    return robotAnswer('lark', await postJson('lark', settings.url, larkPayload(group, merged, signature)));
  });
}
