import fs from 'node:fs';
import os from 'node:os';
import { Option, type Command } from 'commander';
import { createClient } from '../../client/index.ts';
import { ApiError, type SluiceApi } from '../client.ts';
import { storeCredential, storedCredential, credentialsFile } from '../credentials.ts';
import { printJson, table } from '../output.ts';
import { spaceQuotaCommand } from './quotas.ts';
import { isRole, type Role } from '../../domain/access/spaces.ts';

/** A password from the terminal without echo, or the whole of standard input when it is not one. */
async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          return resolve(typed);
        }
        if (ch === '\u0003') {
          done();
          return reject(new Error('interrupted'));
        }
        typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

/** Standard input's lines (a piped password, or a current and a new one), without their line ends. */
const stdinLines = () => fs.readFileSync(0, 'utf8').split(/\r?\n/);

/** A new password, typed twice at a terminal (a typo would lock the user out), else standard input's first line. */
async function newPassword(prompt: string, fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) return stdinLines()[0] ?? '';
  const typed = await readPassword(prompt);
  if ((await readPassword('the same again: ')) !== typed)
    throw new Error('the two passwords typed differ: nothing was changed; run the command again');
  return typed;
}

/** A --role value, refused here with the choices rather than by the server's schema. */
function roleOption(v: string): Role {
  if (!isRole(v)) throw new Error(`--role ${v}: give viewer, developer or owner`);
  return v;
}

const when = (iso: string | null) => (iso ? iso.replace(/\.\d+Z$/, 'Z') : '-');

/** sluice login / logout / whoami, sluice user ..., sluice token ... */
export function accessCommands(
  program: Command,
  api: (server?: string) => SluiceApi,
  serverUrl: () => string,
  say: (line: string) => void,
): void {
  program
    .command('login')
    .description(
      `sign in with a name and password (from a prompt, or standard input when piped) and keep an API token for the server in ${credentialsFile()} (owner-only)`,
    )
    .option('--server <url>', 'the server (default: SLUICE_URL, else http://localhost:8080)')
    .option('--user <name>', 'the user name', 'admin')
    .action(async (o: { server?: string; user: string }) => {
      const server = (o.server ?? serverUrl()).replace(/\/+$/, '');
      const password = await readPassword(`password of ${o.user} at ${server}: `);
      // The session is a step: its cookie makes the token, then it ends.
      const cookie = await sessionCookie(server, o.user, password);
      const session = createClient({ baseUrl: server, headers: { cookie } });
      const host = os.hostname();
      const made = await session.access.createToken(`sluice login on ${host}`.slice(0, 64));
      await session.access.signOut();
      storeCredential(server, { token: made.secret, id: made.token.id, user: o.user });
      say(
        `signed in to ${server} as ${o.user}; the API token ${made.token.id} is kept in ${credentialsFile()}`,
      );
    });
  program
    .command('logout')
    .description('revoke the API token `sluice login` kept for the server, and forget it')
    .option('--server <url>', 'the server (default: SLUICE_URL)')
    .action(async (o: { server?: string }) => {
      const server = (o.server ?? serverUrl()).replace(/\/+$/, '');
      const stored = storedCredential(server);
      if (!stored) return say(`no credential is kept for ${server}`);
      await api(server)
        .access.revokeToken(stored.id)
        .catch((e: unknown) => {
          // Revoked or deleted already: forgetting it is all that is left.
          if (!(e instanceof ApiError && (e.status === 404 || e.status === 401))) throw e;
        });
      storeCredential(server, undefined);
      say(`signed out of ${server}: token ${stored.id} revoked and forgotten`);
    });
  program
    .command('whoami')
    .description('the user this CLI runs as at the server, and how it proved it')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const me = await api().access.me();
      if (o.json) return printJson(me);
      console.log(
        `${me.name}${me.admin ? ' (platform admin)' : ''}${me.source === 'ldap' ? ' from LDAP' : me.source === 'oidc' ? ' from OpenID Connect' : ''} via ${me.via}, may ${me.scopes.join(' and ')}`,
      );
      if (me.spaces.length)
        console.log(`spaces: ${me.spaces.map((s) => `${s.space} (${s.role})`).join(', ')}`);
    });

  program
    .command('passwd')
    .description(
      'change your own password (a local user): the current one, then the new one twice, at prompts without echo; your other console sessions end, API tokens stay',
    )
    .option(
      '--password-stdin',
      'read the current password and the new one from standard input, one a line (also when it is piped)',
    )
    .action(async (o: { passwordStdin?: boolean }) => {
      const me = await api().access.me();
      let current: string;
      let next: string;
      if (o.passwordStdin || !process.stdin.isTTY) {
        const lines = stdinLines();
        if (lines.length < 2 || lines[1] === '')
          throw new Error(
            'standard input holds no new password: give the current password on the first line and the new one on the second',
          );
        [current, next] = [lines[0]!, lines[1]!];
      } else {
        current = await readPassword(`current password of ${me.name}: `);
        next = await newPassword(`new password of ${me.name}: `, false);
      }
      await api().access.changePassword(current, next);
      say(`the password of ${me.name} is changed; its other console sessions ended, its API tokens stay`);
    });

  const user = program.command('user').description('users (platform admins)');
  user
    .command('add <name>')
    .description('add a user and print its first API token, shown this once')
    .option('--admin', 'a platform admin (manages users and spaces, may do everything)')
    .option(
      '--role <role>',
      'its role in the space: viewer, developer or owner (default for a user who is not an admin: developer)',
    )
    .option('--space <space>', 'the space of its role (default: default)')
    .option('--password-stdin', 'also set a password for the console, read from standard input')
    .action(
      async (
        name: string,
        o: { admin?: boolean; passwordStdin?: boolean; role?: string; space?: string },
      ) => {
        const password = o.passwordStdin ? fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '') : undefined;
        const made = await api().access.addUser(name, {
          admin: !!o.admin,
          ...(password ? { password } : {}),
          ...(o.role ? { role: roleOption(o.role) } : {}),
          ...(o.space ? { space: o.space } : {}),
        });
        const where = o.role || !o.admin ? `, ${o.role ?? 'developer'} of space ${o.space ?? 'default'}` : '';
        say(
          `user ${made.user.name} added${made.user.admin ? ' (platform admin)' : ''}${where}; its first API token, shown only now:`,
        );
        console.log(made.secret);
      },
    );
  user
    .command('list')
    .description('users')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const users = await api().access.users();
      if (o.json) return printJson(users);
      console.log(
        table(
          users.map((u) => ({ ...u, admin: u.admin ? 'yes' : '', createdAt: when(u.createdAt) })),
          ['name', 'source', 'admin', 'createdAt'],
        ),
      );
    });
  user
    .command('passwd <name>')
    .description(
      "set a local user's password (a forgotten one, or a first one for a user of tokens only): typed twice at prompts without echo; every console session of the user ends, its API tokens stay",
    )
    .option('--password-stdin', 'read the password from standard input (also when it is piped)')
    .action(async (name: string, o: { passwordStdin?: boolean }) => {
      await api().access.setPassword(name, await newPassword(`new password of ${name}: `, !!o.passwordStdin));
      say(`the password of ${name} is set; its console sessions ended, its API tokens stay`);
    });
  user
    .command('remove <name>')
    .description('remove a user with its API tokens and console sessions')
    .action(async (name: string) => {
      await api().access.removeUser(name);
      say(`user ${name} removed`);
    });
  user
    .command('sync')
    .description(
      'look every LDAP user up in the directory again now (as SLUICE_LDAP_SYNC_INTERVAL does): admin flags and roles follow it, users it no longer has are removed',
    )
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const round = await api().access.directorySync();
      if (o.json) return printJson(round);
      say(`${round.checked} LDAP user${round.checked === 1 ? '' : 's'} looked up`);
      for (const name of round.removed)
        say(`${name}: no longer in the directory, removed with its tokens, sessions and memberships`);
      for (const c of round.changed) {
        const roles = c.roles.map((r) => `${r.role} of ${r.space}`);
        const none = c.noRoleIn.map((s) => `no role in ${s}`);
        say(`${c.user}: ${[c.admin ? 'platform admin' : 'not an admin', ...roles, ...none].join(', ')}`);
      }
      for (const name of round.kept)
        say(`${name}: no longer in the directory, kept: the last platform admin (make another admin first)`);
    });

  const space = program
    .command('space')
    .description('spaces: who may view, change, run and manage the jobs and the rest of each');
  space
    .command('list')
    .description('the spaces you are a member of, with your role (a platform admin: every space)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const spaces = await api().spaces.list();
      if (o.json) return printJson(spaces);
      console.log(
        table(
          spaces.map((s) => ({ ...s, role: s.role ?? '-', createdAt: when(s.createdAt) })),
          ['name', 'role', 'createdBy', 'createdAt'],
        ),
      );
    });
  space
    .command('create <name>')
    .description('create a space (platform admins)')
    .action(async (name: string) => {
      await api().spaces.create(name);
      say(`space ${name} created; add its members with: sluice space add-member ${name} USER --role owner`);
    });
  space
    .command('delete <name>')
    .description('delete an empty space with its memberships (platform admins)')
    .action(async (name: string) => {
      await api().spaces.remove(name);
      say(`space ${name} deleted`);
    });
  space
    .command('members <space>')
    .description('the members of a space and their roles')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const members = await api().spaces.members(name);
      if (o.json) return printJson(members);
      console.log(table(members, ['user', 'role', 'source']));
    });
  space
    .command('add-member <space> <user>')
    .description("add a user to a space, or change its role there (the space's owners, platform admins)")
    .requiredOption('--role <role>', 'viewer, developer or owner')
    .action(async (name: string, userName: string, o: { role: string }) => {
      const m = await api().spaces.setMember(name, userName, roleOption(o.role));
      say(`${m.user} is ${m.role} of space ${m.space}`);
    });
  space
    .command('remove-member <space> <user>')
    .description("remove a user from a space (the space's owners, platform admins)")
    .action(async (name: string, userName: string) => {
      await api().spaces.removeMember(name, userName);
      say(`${userName} is no longer a member of space ${name}`);
    });
  space
    .command('folders <space>')
    .description(
      "the folders the space's job SQL may name files in; --set and --clear change them (platform admins)",
    )
    .option('--set <folders>', "the space's own folders, absolute and comma-separated, replacing its list")
    .addOption(
      new Option(
        '--clear',
        'forget its list: it uses its default folder <home>/files/<space> again',
      ).conflicts('set'),
    )
    .option('--json', 'print JSON')
    .action(async (name: string, o: { set?: string; clear?: boolean; json?: boolean }) => {
      const spaces = api().spaces;
      const f =
        o.set !== undefined
          ? await spaces.setFileFolders(
              name,
              o.set
                .split(',')
                .map((e) => e.trim())
                .filter(Boolean),
            )
          : o.clear
            ? await spaces.clearFileFolders(name)
            : await spaces.fileFolders(name);
      if (o.json) return printJson(f);
      const own = f.folders.length ? f.folders.join(', ') : '(none)';
      console.log(
        `space ${f.space}: ${own}${f.set ? '' : " (its default folder: no list of the space's own)"}`,
      );
      if (f.shared.length)
        console.log(`shared by every space (SLUICE_ALLOWED_FILE_PATHS): ${f.shared.join(', ')}`);
    });
  spaceQuotaCommand(space, api);

  const token = program.command('token').description('your API tokens');
  token
    .command('create <name>')
    .description('a new API token, printed this once')
    .option('--read-only', 'it may only read (GET)')
    .option('--expires <duration>', 'it expires after hours, days or weeks: 12h, 30d, 2w (default: never)')
    .action(async (name: string, o: { readOnly?: boolean; expires?: string }) => {
      const made = await api().access.createToken(name, {
        ...(o.readOnly ? { scopes: ['read' as const] } : {}),
        ...(o.expires ? { expires: o.expires } : {}),
      });
      say(
        `API token ${made.token.id} (${made.token.scopes.join('+')}${made.token.expiresAt ? `, expires ${when(made.token.expiresAt)}` : ''}), shown only now:`,
      );
      console.log(made.secret);
    });
  token
    .command('list')
    .description('your API tokens (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const tokens = await api().access.tokens();
      if (o.json) return printJson(tokens);
      console.log(
        table(
          tokens.map((t) => ({
            ...t,
            scopes: t.scopes.join('+'),
            expiresAt: when(t.expiresAt),
            lastUsedAt: when(t.lastUsedAt),
            revokedAt: when(t.revokedAt),
          })),
          ['id', 'name', 'scopes', 'expiresAt', 'lastUsedAt', 'revokedAt'],
        ),
      );
    });
  token
    .command('revoke <id>')
    .description('revoke one of your API tokens')
    .action(async (id: string) => {
      await api().access.revokeToken(id);
      say(`API token ${id} revoked`);
    });
}

/** The session cookie a sign-in sets, read from its answer. */
async function sessionCookie(server: string, name: string, password: string): Promise<string> {
  const res = await fetch(`${server}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (res.ok && cookie) return cookie;
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  throw new ApiError(
    res.status,
    body.error?.code ?? 'http_error',
    `sign-in at ${server} refused: ${body.error?.message ?? `HTTP ${res.status}`}`,
  );
}
