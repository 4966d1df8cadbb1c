import { createHmac } from 'node:crypto';

/**
 * The signatures the chat robots check when their "sign" security setting is on. Both use
 * HMAC-SHA256 over `timestamp + "\n" + secret`, but not the same way round.
 */

/**
 * DingTalk custom robot, "加签": HMAC-SHA256 of `timestampMs + "\n" + secret` with the secret as the
 * key, base64, then URL-encoded; sent as `&timestamp=<ms>&sign=<sign>` after the access_token.
 * Source: open.dingtalk.com/document/orgapp/customize-robot-security-settings (the Java and Python
 * examples there: `mac.init(secret)`, `mac.doFinal(timestamp + "\n" + secret)`, `quote_plus(b64)`).
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/** The robot's webhook address with the timestamp and the URL-encoded signature appended. */
export function dingtalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  const sign = encodeURIComponent(dingtalkSign(secret, timestampMs));
  return `${url}${url.includes('?') ? '&' : '?'}timestamp=${timestampMs}&sign=${sign}`;
}

/**
 * Lark/Feishu custom bot, "签名校验": `timestampSeconds + "\n" + secret` is the HMAC-SHA256 KEY and
 * the message is empty; base64; sent in the JSON body as `timestamp` (seconds, a string) and `sign`.
 * Source: open.feishu.cn/document/client-docs/bot-v3/add-custom-bot ("签名校验", the Go example:
 * `hmac.New(sha256.New, []byte(timestamp + "\n" + secret))` over no data).
 */
export function larkSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update(Buffer.alloc(0)).digest('base64');
}
