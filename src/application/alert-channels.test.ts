import { describe, expect, it } from 'vitest';
import type { AlertChannelSettings, AlertNotifier } from '../domain/alerts/alert-notification.ts';
import { SluiceError } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import { AlertChannelService } from './alert-channels.ts';
import type { AlertChannelStore, StoredAlertChannel } from './ports/alert-channels.ts';

const memoryChannels = () => {
  const rows = new Map<string, StoredAlertChannel>();
  const store: AlertChannelStore = {
    list: async () => [...rows.values()].sort((a, b) => a.name.localeCompare(b.name)),
    get: async (name) => rows.get(name),
    save: async (c) => void rows.set(c.name, { ...c, createdAt: 'c', updatedAt: 'u' }),
    remove: async (name) => rows.delete(name),
  };
  return { rows, store };
};
// Reversible and visible: what the service seals can be told from what it stores in the clear.
const box = {
  seal: (p: string) => `sealed(${[...p].reverse().join('')})`,
  open: (s: string) => [...s.slice(7, -1)].reverse().join(''),
};

const setup = (
  send: AlertNotifier['send'] = async () => ({ sent: 1, batched: 0, answer: 'errcode 0 (ok)' }),
) => {
  const { rows, store } = memoryChannels();
  const sent: AlertChannelSettings[] = [];
  const service = new AlertChannelService({ alertChannels: store }, box, {
    send: async (s, n) => {
      sent.push(s);
      return send(s, n);
    },
  });
  return { rows, service, sent };
};

const robot = 'https://oapi.dingtalk.com/robot/send?access_token=tok123';

describe('alert channels', () => {
  it('stores robot addresses and secrets sealed and reads them back masked', async () => {
    const { rows, service } = setup();
    const view = await service.save('ops', { type: 'dingtalk', url: robot, secret: 'SECabc' });
    expect(view).toMatchObject({
      name: 'ops',
      type: 'dingtalk',
      url: 'https://oapi.dingtalk.com/******',
      secret: '******',
    });
    const stored = rows.get('ops')!.settings;
    expect(stored).not.toContain('tok123');
    expect(stored).not.toContain('SECabc');
    expect(await service.list()).toEqual([view]);
  });

  it('keeps stored secrets through an edit that leaves them out, and sends with the real ones', async () => {
    const { service, sent } = setup();
    await service.save('ops', { type: 'dingtalk', url: robot, secret: 'SECabc' });
    await service.save('ops', { type: 'dingtalk', url: '******' });
    const r = await service.test('ops');
    expect(r).toEqual({ channel: 'ops', type: 'dingtalk', sent: 1, batched: 0, answer: 'errcode 0 (ok)' });
    expect(sent[0]).toEqual({ type: 'dingtalk', url: robot, secret: 'SECabc' });
  });

  it('names the channel and the receiver’s answer when it refuses, and 404s an unknown channel', async () => {
    const { service } = setup(async () => {
      throw new SluiceError(
        'receiver_refused',
        message('alertChannel.refused', { type: 'dingtalk', answer: 'errcode 310000 (sign not match)' }),
      );
    });
    await service.save('ops', { type: 'dingtalk', url: robot });
    const e = await service.test('ops').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SluiceError);
    expect((e as SluiceError).code).toBe('receiver_refused');
    expect((e as SluiceError).message).toBe(
      'alert channel ops: the dingtalk receiver refused the message: errcode 310000 (sign not match)',
    );
    await expect(service.deliver('nope', [])).resolves.toEqual({ sent: 0, batched: 0 });
    await expect(service.test('nope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.remove('nope')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses bad input and changes nothing', async () => {
    const { rows, service } = setup();
    await expect(service.save('mail', { type: 'email', host: 'smtp', from: 'a@b.c' })).rejects.toMatchObject({
      details: { field: 'to' },
    });
    await expect(service.save('Bad Name', { type: 'webhook', url: 'http://x' })).rejects.toMatchObject({
      details: { field: 'name' },
    });
    expect(rows.size).toBe(0);
  });
});
