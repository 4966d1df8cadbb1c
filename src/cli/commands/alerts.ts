import type { Command } from 'commander';
import type { AlertChannel, AlertChannelInput } from '../../contract/alert-channels.ts';
import { ALERT_CHANNEL_TYPES } from '../../domain/alerts/alert-notification.ts';
import type { SluiceApi } from '../client.ts';
import { printJson, table } from '../output.ts';

interface ChannelOptions {
  type: string;
  url?: string;
  secret?: string;
  smtpHost?: string;
  smtpPort?: string;
  smtpUser?: string;
  smtpPassword?: string;
  tls: boolean;
  from?: string;
  to?: string;
}

/** The flags as the API's fields: only those given, so that the server says which do not fit the type. */
function channelInput(o: ChannelOptions): AlertChannelInput {
  const port = o.smtpPort === undefined ? undefined : Number(o.smtpPort);
  return {
    type: o.type,
    ...(o.url === undefined ? {} : { url: o.url }),
    ...(o.secret === undefined ? {} : { secret: o.secret }),
    ...(o.smtpHost === undefined ? {} : { host: o.smtpHost }),
    ...(port === undefined ? {} : { port: Number.isInteger(port) ? port : -1 }),
    ...(o.smtpUser === undefined ? {} : { username: o.smtpUser }),
    ...(o.smtpPassword === undefined ? {} : { password: o.smtpPassword }),
    ...(o.type === 'email' ? { tls: o.tls } : {}),
    ...(o.from === undefined ? {} : { from: o.from }),
    ...(o.to === undefined ? {} : { to: o.to.split(',') }),
  };
}

/** Where a channel sends, in one cell: the (masked) address, or the mail's server and recipients. */
const destination = (c: AlertChannel): string =>
  c.type === 'email'
    ? `${c.host}:${c.port}${c.tls ? '' : ' (no TLS)'} -> ${(c.to ?? []).join(', ')}`
    : `${c.url ?? ''}${c.secret ? ' (signed)' : ''}`;

/**
 * `sluice alert ...`: alerts that reach people. This file holds the group and its `channel` commands
 * (where messages go); rules and history join the group beside them.
 */
export function alertCommands(program: Command, api: () => SluiceApi, say: (l: string) => void): Command {
  const alert = program
    .command('alert')
    .description('alerts: rules on jobs and the channels their messages go through');
  const channel = alert
    .command('channel')
    .description(
      `where alert messages go: ${ALERT_CHANNEL_TYPES.join(', ')}; robot addresses and secrets are stored encrypted`,
    );
  channel
    .command('add <name>')
    .description('add a channel, or replace the one of that name (secrets left out keep their stored values)')
    .requiredOption('--type <type>', ALERT_CHANNEL_TYPES.join('|'))
    .option('--url <url>', 'robots and webhook: the address to post to (a robot’s address carries its token)')
    .option('--secret <secret>', 'DingTalk/Lark: the signing secret (加签 / 签名校验)')
    .option('--smtp-host <host>', 'email: the SMTP server')
    .option('--smtp-port <port>', 'email: the SMTP port (default 587, or 25 with --no-tls)')
    .option('--smtp-user <user>', 'email: the SMTP user')
    .option('--smtp-password <password>', 'email: the SMTP password')
    .option('--no-tls', 'email: plain SMTP, without STARTTLS (a local test server only)')
    .option('--from <address>', 'email: the sender address')
    .option('--to <addresses>', 'email: the recipients, comma-separated')
    .action(async (name: string, o: ChannelOptions) => {
      const c = await api().alertChannels.put(name, channelInput(o));
      say(`alert channel ${c.name} (${c.type}) saved: ${destination(c)}`);
    });
  channel
    .command('list')
    .description('the alert channels; robot addresses and secrets are shown masked')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const channels = await api().alertChannels.list();
      if (o.json) return printJson(channels);
      console.log(
        table(
          channels.map((c) => ({ ...c, destination: destination(c) })),
          ['name', 'type', 'destination', 'updatedAt'],
        ),
      );
    });
  channel
    .command('remove <name>')
    .description('delete a channel')
    .action(async (name: string) => {
      await api().alertChannels.remove(name);
      say(`alert channel ${name} removed`);
    });
  channel
    .command('test <name>')
    .description('send a test message through the channel and print what the receiver answered')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const r = await api().alertChannels.test(name);
      if (o.json) return printJson(r);
      console.log(
        `alert channel ${r.channel} (${r.type}): sent ${r.sent} message(s); the receiver answered: ${r.answer}`,
      );
    });
  return alert;
}
