import type { AlertNotification } from './alert-notification.ts';

/**
 * What each channel sends, built from notifications: the same facts (job, rule, value, time, root
 * cause, link) in each receiver's documented format. Pure: the senders (src/adapters/notifiers) only
 * sign and post these.
 */

/** Why several notifications share one message: the robot's rate limit (said in the message). */
export interface MergeReason {
  perMinute: number;
}

/** `2026-12-03T15:10:28.000Z` as `2026-12-03 15:10:28 UTC`; text that is not a time, as it is. */
export function formatTime(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime())
    ? iso
    : t
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

/** The first lines of a root cause, short enough for a chat message (the job page has the rest). */
export function rootCauseExcerpt(rootCause: string, maxLines = 5, maxChars = 800): string {
  const lines = rootCause.trim().split(/\r?\n/);
  let text = lines.slice(0, maxLines).join('\n');
  if (text.length > maxChars) text = `${text.slice(0, maxChars)}…`;
  return lines.length > maxLines || text.endsWith('…') ? `${text}\n…` : text;
}

/** One line naming the alert: `[FIRING] critical: orders-failed (job orders)`. */
export function headline(n: AlertNotification): string {
  return `[${n.status.toUpperCase()}] ${n.severity}: ${n.rule}${n.job ? ` (job ${n.job})` : ''}`;
}

/** The labelled facts of one notification, in the order every format shows them. */
export function facts(n: AlertNotification): [label: string, value: string][] {
  const rows: [string, string][] = [];
  if (n.job) rows.push(['Job', n.job]);
  rows.push(['Rule', n.rule], ['Severity', n.severity]);
  if (n.value !== null) rows.push(['Value', n.value]);
  rows.push(['Since', formatTime(n.startsAt)]);
  if (n.endsAt) rows.push(['Resolved', formatTime(n.endsAt)]);
  return rows;
}

/** The subject of a message holding these notifications. */
export function messageTitle(notifications: readonly AlertNotification[]): string {
  if (notifications.length === 1) return headline(notifications[0]!);
  const firing = notifications.filter((n) => n.status === 'firing').length;
  const parts = [
    firing && `${firing} firing`,
    notifications.length - firing && `${notifications.length - firing} resolved`,
  ];
  return `${notifications.length} alerts: ${parts.filter(Boolean).join(', ')}`;
}

const mergedNote = (count: number, reason: MergeReason | null) =>
  reason
    ? `${count} alerts in one message: the robot takes ${reason.perMinute} messages a minute, and more were due`
    : null;

export type MarkdownFlavour = 'dingtalk' | 'wecom' | 'lark';

/**
 * Markdown as the robot renders it. DingTalk needs a blank line for a line break; Lark's lark_md has
 * no headings (the card header carries the title).
 */
export function markdownText(
  notifications: readonly AlertNotification[],
  flavour: MarkdownFlavour,
  merged: MergeReason | null = null,
): string {
  const blocks: string[] = [];
  const note = notifications.length > 1 ? mergedNote(notifications.length, merged) : null;
  if (note) blocks.push(`**${note}**`);
  for (const n of notifications) {
    const lines: string[] = [];
    if (flavour !== 'lark' || notifications.length > 1)
      lines.push(flavour === 'lark' ? `**${headline(n)}**` : `### ${headline(n)}`);
    lines.push(`**${n.summary}**`);
    for (const [label, value] of facts(n)) lines.push(`- ${label}: ${value}`);
    if (n.rootCause) {
      lines.push('- Root cause:');
      lines.push(
        ...rootCauseExcerpt(n.rootCause)
          .split('\n')
          .map((l) => `> ${l}`),
      );
    }
    if (n.link) lines.push(`[Open${n.job ? ` job ${n.job}` : ''} in Sluice](${n.link})`);
    blocks.push(lines.join(flavour === 'dingtalk' ? '\n\n' : '\n'));
  }
  return blocks.join(flavour === 'lark' ? '\n---\n' : '\n\n');
}

const utf8 = new TextEncoder();
const utf8Bytes = (s: string) => utf8.encode(s).length;

/** Cuts text to at most `maxBytes` of UTF-8 at a line end, saying that it was cut. */
export function fitBytes(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const tail = '\n…(cut to fit the robot’s message size; the rest is on the job page)';
  const room = maxBytes - utf8Bytes(tail);
  let out = '';
  for (const line of text.split('\n')) {
    const next = out ? `${out}\n${line}` : line;
    if (utf8Bytes(next) > room) break;
    out = next;
  }
  return out + tail;
}

/**
 * DingTalk custom robot, markdown message: `{msgtype: "markdown", markdown: {title, text}}`, answered
 * `{errcode, errmsg}` (open.dingtalk.com/document/orgapp/custom-bot-send-message-type, "markdown类型").
 */
export function dingtalkPayload(notifications: readonly AlertNotification[], merged: MergeReason | null) {
  return {
    msgtype: 'markdown',
    markdown: {
      title: messageTitle(notifications),
      // DingTalk does not document a markdown size; 20,000 bytes is what its robots are known to take.
      text: fitBytes(markdownText(notifications, 'dingtalk', merged), 20_000),
    },
  };
}

/**
 * WeCom group robot, markdown message: `{msgtype: "markdown", markdown: {content}}`, content at most
 * 4096 bytes of UTF-8, answered `{errcode, errmsg}` (developer.work.weixin.qq.com/document/path/91770).
 */
export function wecomPayload(notifications: readonly AlertNotification[], merged: MergeReason | null) {
  return {
    msgtype: 'markdown',
    markdown: { content: fitBytes(markdownText(notifications, 'wecom', merged), 4096) },
  };
}

/**
 * Lark/Feishu custom bot, interactive card: `{msg_type: "interactive", card: {header, elements}}`, a
 * lark_md div per notification; `timestamp` and `sign` beside them when signing is on; answered
 * `{code, msg}` (open.feishu.cn/document/client-docs/bot-v3/add-custom-bot, "发送消息卡片").
 */
export function larkPayload(
  notifications: readonly AlertNotification[],
  merged: MergeReason | null,
  signature: { timestamp: number; sign: string } | null,
) {
  const firing = notifications.some((n) => n.status === 'firing');
  const critical = notifications.some((n) => n.status === 'firing' && n.severity === 'critical');
  return {
    ...(signature ? { timestamp: String(signature.timestamp), sign: signature.sign } : {}),
    msg_type: 'interactive',
    card: {
      config: { wide_screen_mode: true },
      header: {
        title: { tag: 'plain_text', content: messageTitle(notifications) },
        template: critical ? 'red' : firing ? 'orange' : 'green',
      },
      elements: [
        // A card takes about 30 KB; 20,000 bytes of text leaves room for its JSON.
        {
          tag: 'div',
          text: { tag: 'lark_md', content: fitBytes(markdownText(notifications, 'lark', merged), 20_000) },
        },
      ],
    },
  };
}

/**
 * The generic webhook's JSON body (documented in the README): the notifications as Sluice holds
 * them, with the version of this shape.
 */
export function webhookBody(notifications: readonly AlertNotification[]) {
  return { version: 1, source: 'sluice', notifications };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A mail: the subject, a plain-text body and the same in HTML. The whole root cause is in it. */
export function emailMessage(notifications: readonly AlertNotification[]): {
  subject: string;
  text: string;
  html: string;
} {
  const text = notifications
    .map((n) =>
      [
        headline(n),
        n.summary,
        ...facts(n).map(([l, v]) => `${l}: ${v}`),
        ...(n.rootCause ? ['Root cause:', n.rootCause.trim()] : []),
        ...(n.link ? [`Job page: ${n.link}`] : []),
      ].join('\n'),
    )
    .join('\n\n');
  const html = notifications
    .map((n) =>
      [
        `<h3>${escapeHtml(headline(n))}</h3>`,
        `<p><strong>${escapeHtml(n.summary)}</strong></p>`,
        `<table>${facts(n)
          .map(([l, v]) => `<tr><th align="left">${escapeHtml(l)}</th><td>${escapeHtml(v)}</td></tr>`)
          .join('')}</table>`,
        n.rootCause ? `<p>Root cause:</p><pre>${escapeHtml(n.rootCause.trim())}</pre>` : '',
        n.link
          ? `<p><a href="${escapeHtml(n.link)}">Open${n.job ? ` job ${escapeHtml(n.job)}` : ''} in Sluice</a></p>`
          : '',
      ].join(''),
    )
    .join('<hr>');
  return { subject: `[Sluice] ${messageTitle(notifications)}`, text, html };
}

/** A notification that says the channel works, sent by the test button. */
export function testNotification(channel: string, at: Date, link: string | null): AlertNotification {
  return {
    status: 'firing',
    severity: 'info',
    rule: 'channel-test',
    job: null,
    summary: `Test message from Sluice: channel ${channel} reaches you`,
    value: null,
    startsAt: at.toISOString(),
    endsAt: null,
    rootCause: null,
    link,
  };
}
