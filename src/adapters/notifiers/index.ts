import type {
  AlertChannelSettings,
  AlertDeliveryResult,
  AlertNotification,
  AlertNotifier,
} from '../../domain/alerts/alert-notification.ts';
import { sendDingtalk } from './dingtalk.ts';
import { sendEmail } from './email.ts';
import { sendLark } from './lark.ts';
import { RobotDelivery, type Clock } from './robot-delivery.ts';
import { sendWebhook } from './webhook.ts';
import { sendWecom } from './wecom.ts';

/** The senders of every channel type, behind the one port the application knows. */
export function createAlertNotifier(clock?: Clock): AlertNotifier {
  const robots = new RobotDelivery(clock);
  return {
    send(settings: AlertChannelSettings, notifications: AlertNotification[]): Promise<AlertDeliveryResult> {
      switch (settings.type) {
        case 'webhook':
          return sendWebhook(settings, notifications);
        case 'dingtalk':
          return sendDingtalk(settings, notifications, robots);
        case 'wecom':
          return sendWecom(settings, notifications, robots);
        case 'lark':
          return sendLark(settings, notifications, robots);
        case 'email':
          return sendEmail(settings, notifications);
      }
    },
  };
}
