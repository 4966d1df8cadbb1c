import { describe, expect, it } from 'vitest';
import type { AlertNotification } from './alert-notification.ts';
import {
  dingtalkPayload,
  emailMessage,
  fitBytes,
  formatTime,
  larkPayload,
  markdownText,
  rootCauseExcerpt,
  webhookBody,
  wecomPayload,
} from './channel-messages.ts';

const failed: AlertNotification = {
  status: 'firing',
  severity: 'critical',
  rule: 'orders-failed',
  job: 'orders',
  summary: 'orders is FAILED',
  value: '3 restarts',
  startsAt: '2026-12-03T15:10:28.123Z',
  endsAt: null,
  rootCause: 'java.lang.RuntimeException: <boom> & more\n\tat A.b(A.java:1)',
  link: 'http://sluice.example/jobs/orders',
};
const resolved: AlertNotification = {
  ...failed,
  status: 'resolved',
  severity: 'warning',
  rule: 'lag',
  value: null,
  rootCause: null,
  endsAt: '2026-12-03T15:20:00Z',
};

describe('alert messages', () => {
  it('names the job, the rule, the value, the time, the root cause and the link', () => {
    const text = markdownText([failed], 'wecom');
    for (const part of [
      'orders',
      'orders-failed',
      '3 restarts',
      '2026-12-03 15:10:28 UTC',
      'RuntimeException',
      '(http://sluice.example/jobs/orders)',
    ])
      expect(text).toContain(part);
    expect(text).toMatch(/^### \[FIRING\] critical: orders-failed \(job orders\)/);
  });

  it('breaks DingTalk lines with blank lines and leaves headings out of Lark cards', () => {
    expect(markdownText([failed], 'dingtalk')).toContain('**orders is FAILED**\n\n- Job: orders');
    expect(markdownText([failed], 'lark')).not.toContain('###');
  });

  it('says how many alerts a merged message holds and why', () => {
    const text = markdownText([failed, resolved, failed], 'dingtalk', { perMinute: 20 });
    expect(text).toMatch(/^\*\*3 alerts in one message: the robot takes 20 messages a minute/);
    expect(dingtalkPayload([failed, resolved], null).markdown.title).toBe('2 alerts: 1 firing, 1 resolved');
  });

  it('builds each robot payload in its documented shape', () => {
    expect(dingtalkPayload([failed], null)).toMatchObject({
      msgtype: 'markdown',
      markdown: { title: '[FIRING] critical: orders-failed (job orders)' },
    });
    expect(wecomPayload([failed], null)).toMatchObject({
      msgtype: 'markdown',
      markdown: { content: expect.any(String) },
    });
    const lark = larkPayload([resolved], null, { timestamp: 1700000000, sign: 'abc=' });
    expect(lark).toMatchObject({ timestamp: '1700000000', sign: 'abc=', msg_type: 'interactive' });
    expect(lark.card.header.template).toBe('green');
    expect(lark.card.elements[0]!.text.tag).toBe('lark_md');
    expect(larkPayload([failed], null, null)).not.toHaveProperty('sign');
    expect(webhookBody([failed])).toEqual({ version: 1, source: 'sluice', notifications: [failed] });
  });

  it('keeps WeCom within 4096 bytes, cut at a line and said', () => {
    const many = Array.from({ length: 60 }, () => failed);
    const content = wecomPayload(many, { perMinute: 20 }).markdown.content;
    expect(new TextEncoder().encode(content).length).toBeLessThanOrEqual(4096);
    expect(content).toMatch(/cut to fit/);
    expect(fitBytes('short', 10)).toBe('short');
  });

  it('shortens a long root cause for chat and keeps all of it in mail, escaped in HTML', () => {
    const long = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    expect(rootCauseExcerpt(long)).toBe('line 0\nline 1\nline 2\nline 3\nline 4\n…');
    const mail = emailMessage([failed]);
    expect(mail.subject).toBe('[Sluice] [FIRING] critical: orders-failed (job orders)');
    expect(mail.text).toContain('at A.b(A.java:1)');
    expect(mail.html).toContain('&lt;boom&gt; &amp; more');
    expect(mail.html).toContain('<a href="http://sluice.example/jobs/orders">');
    expect(formatTime('not a time')).toBe('not a time');
  });
});
