import type {
  AlertChannelSettings,
  AlertDeliveryResult,
  AlertNotification,
} from '../../domain/alerts/alert-notification.ts';
import { dingtalkPayload } from '../../domain/alerts/channel-messages.ts';
import { ROBOT_RATE_LIMITS } from '../../domain/alerts/rate-window.ts';
import { dingtalkSignedUrl } from '../../domain/alerts/robot-signing.ts';
import { postJson, robotAnswer } from './receiver-http.ts';
import type { RobotDelivery } from './robot-delivery.ts';

/**
 * DingTalk custom robot: markdown messages, signed per request when the robot has a secret (the
 * signature holds the time, so each request is signed anew); errcode other than 0 is a refusal.
 */
export function sendDingtalk(
  settings: Extract<AlertChannelSettings, { type: 'dingtalk' }>,
  notifications: AlertNotification[],
  robots: RobotDelivery,
): Promise<AlertDeliveryResult> {
  return robots.deliver(settings.url, ROBOT_RATE_LIMITS.dingtalk, notifications, async (group, merged) => {
    const url = settings.secret ? dingtalkSignedUrl(settings.url, settings.secret, Date.now()) : settings.url;
    return robotAnswer('dingtalk', await postJson('dingtalk', url, dingtalkPayload(group, merged)));
  });
}
