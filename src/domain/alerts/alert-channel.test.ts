import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.ts';
import { channelSettings, channelView, checkChannelName } from './alert-channel.ts';

const fieldOf = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    if (e instanceof SluiceError) return [e.code, e.details.field];
    throw e;
  }
  return 'no error';
};

describe('alert channel settings', () => {
  it('refuses bad input naming the field', () => {
    expect(fieldOf(() => channelSettings({ type: 'slack' }, null))).toEqual(['invalid_argument', 'type']);
    expect(() => channelSettings({ type: 'slack' }, null)).toThrow(
      "type: 'slack' is not a channel type: use one of webhook, dingtalk, wecom, lark, email",
    );
    expect(fieldOf(() => channelSettings({ type: 'webhook', url: 'ftp://x' }, null))).toMatchObject([
      'invalid_argument',
      'url',
    ]);
    expect(fieldOf(() => channelSettings({ type: 'dingtalk' }, null))).toMatchObject([
      'invalid_argument',
      'url',
    ]);
    expect(fieldOf(() => channelSettings({ type: 'wecom', url: 'https://x', secret: 's' }, null))).toEqual([
      'invalid_argument',
      'secret',
    ]);
    expect(fieldOf(() => channelSettings({ type: 'email', host: 'smtp', from: 'a@b.c' }, null))).toEqual([
      'invalid_argument',
      'to',
    ]);
    expect(
      fieldOf(() => channelSettings({ type: 'email', host: 'smtp', from: 'a@b.c', to: ['nobody'] }, null)),
    ).toEqual(['invalid_argument', 'to']);
    expect(
      fieldOf(() =>
        channelSettings({ type: 'email', host: 'smtp', port: 70000, from: 'a@b.c', to: ['x@y.z'] }, null),
      ),
    ).toEqual(['invalid_argument', 'port']);
    expect(fieldOf(() => checkChannelName('Ops Team'))).toEqual(['invalid_argument', 'name']);
  });

  it('fills email defaults and keeps a stored secret an edit leaves out or sends back masked', () => {
    expect(channelSettings({ type: 'email', host: 'smtp', from: 'a@b.c', to: ['x@y.z', ' '] }, null)).toEqual(
      {
        type: 'email',
        host: 'smtp',
        port: 587,
        tls: true,
        username: null,
        password: null,
        from: 'a@b.c',
        to: ['x@y.z'],
      },
    );
    const before = channelSettings(
      { type: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret: 'SECx' },
      null,
    );
    expect(channelSettings({ type: 'dingtalk' }, before)).toEqual(before);
    expect(
      channelSettings(
        { type: 'dingtalk', url: 'https://oapi.dingtalk.com/******', secret: '******' },
        before,
      ),
    ).toEqual(before);
    expect(channelSettings({ type: 'dingtalk', secret: null }, before)).toEqual({ ...before, secret: null });
    // A masked address with no stored channel of that type to stand for is taken as given, and refused
    // by the robot: nothing here can tell it from a real one on that host.
    expect(
      channelSettings({ type: 'wecom', url: 'https://qyapi.weixin.qq.com/******' }, before),
    ).toMatchObject({
      url: 'https://qyapi.weixin.qq.com/******',
    });
  });

  it('masks robot addresses, signing secrets and the SMTP password when read back', () => {
    const at = '2026-12-03T00:00:00Z';
    const view = channelView({
      name: 'ops',
      settings: { type: 'lark', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc', secret: 'k' },
      createdAt: at,
      updatedAt: at,
    });
    expect(view).toMatchObject({
      type: 'lark',
      url: 'https://open.feishu.cn/******',
      secret: '******',
      to: null,
    });
    expect(JSON.stringify(view)).not.toContain('abc');
    const mail = channelView({
      name: 'm',
      settings: {
        type: 'email',
        host: 'h',
        port: 25,
        tls: false,
        username: 'u',
        password: 'pw',
        from: 'a@b.c',
        to: ['x@y.z'],
      },
      createdAt: at,
      updatedAt: at,
    });
    expect(mail.password).toBe('******');
    expect(
      channelView({
        name: 'w',
        settings: { type: 'webhook', url: 'http://h/x?t=1' },
        createdAt: at,
        updatedAt: at,
      }).url,
    ).toBe('http://h/x?t=1');
  });
});
