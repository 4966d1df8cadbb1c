import { signedInState, type NewAuditEntry } from '../domain/audit/audit.ts';
import type { Membership } from '../domain/access/spaces.ts';
import { renderMessage } from '../domain/messages.ts';
import { codedOf } from '../domain/errors.ts';
import type { AccessService, DirectorySyncRound, DirectoryUserChange } from './access-service.ts';
import type { AuditStore } from './ports/audit.ts';

/** Who asked for a look at the directory, as the audit log names it: an admin's request, or the schedule. */
export type SyncCaller = Pick<
  NewAuditEntry,
  'actor' | 'via' | 'sourceAddress' | 'userAgent' | 'method' | 'path'
>;

/** The schedule's own name in the audit log: the platform, on SLUICE_LDAP_SYNC_INTERVAL. */
export const SCHEDULE: SyncCaller = {
  actor: 'sluice',
  via: 'schedule',
  sourceAddress: 'sluice',
  userAgent: null,
  method: 'SCHEDULE',
  path: 'SLUICE_LDAP_SYNC_INTERVAL',
};

/** The memberships after a change: those before, less the removed, with the set ones put in. */
function membershipsAfter(c: DirectoryUserChange): Membership[] {
  if (c.removed) return [];
  const key = (m: Membership) => m.space;
  const after = new Map(c.membershipsBefore.map((m) => [key(m), m]));
  for (const m of c.memberships?.remove ?? []) after.delete(key(m));
  for (const m of c.memberships?.set ?? []) after.set(key(m), m);
  return [...after.values()].sort((a, b) => a.space.localeCompare(b.space));
}

/**
 * One audit record per user a look at the directory changed: a removed user (after: null), a changed
 * admin flag, memberships set or removed; before and after as a sign-in's record shows them.
 */
export function directorySyncRecords(round: DirectorySyncRound, by: SyncCaller, at: string): NewAuditEntry[] {
  return round.changes.map((c) => ({
    at,
    ...by,
    operation: 'access.directorySync',
    resourceKind: 'user',
    resourceName: c.user,
    space: null,
    status: 200,
    errorCode: null,
    before: signedInState({ name: c.user, admin: c.admin.before, source: 'ldap' }, c.membershipsBefore),
    after: c.removed
      ? null
      : signedInState({ name: c.user, admin: c.admin.after, source: 'ldap' }, membershipsAfter(c)),
  }));
}

/**
 * Looks every LDAP user up again (AccessService.syncDirectory) on a schedule or when an admin asks,
 * one round at a time, and keeps what changed in the audit log.
 */
export class DirectorySync {
  private running: Promise<DirectorySyncRound> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly access: Pick<AccessService, 'syncDirectory'>,
    private readonly audit: Pick<AuditStore, 'append'>,
    private readonly log: { info(line: string): void; warn(line: string): void },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A round now; one already under way is answered instead of a second one. */
  run(by: SyncCaller): Promise<DirectorySyncRound> {
    this.running ??= this.round(by).finally(() => (this.running = null));
    return this.running;
  }

  private async round(by: SyncCaller): Promise<DirectorySyncRound> {
    const round = await this.access.syncDirectory();
    const at = this.now().toISOString();
    for (const record of directorySyncRecords(round, by, at)) await this.audit.append(record);
    for (const c of round.changes)
      this.log.info(
        c.removed
          ? `LDAP user ${c.user} is no longer in the directory: removed with its tokens, sessions and memberships`
          : `LDAP user ${c.user} changed in the directory:${c.admin.before !== c.admin.after ? ` admin ${c.admin.after}` : ''}${
              c.memberships?.set.length
                ? ` roles ${c.memberships.set.map((m) => `${m.space}:${m.role}`).join(', ')}`
                : ''
            }${c.memberships?.remove.length ? ` no role in ${c.memberships.remove.map((m) => m.space).join(', ')}` : ''}`,
      );
    return round;
  }

  /** Every `intervalMs` until stop(); a round that fails (the directory down) is said and tried at the next. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.run(SCHEDULE).catch((e: unknown) =>
        this.log.warn(
          `looking the LDAP users up again failed, nothing changed: ${renderMessage(codedOf(e))}`,
        ),
      );
    }, intervalMs);
    this.timer.unref();
  }

  /** No new round starts; one under way is waited for. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
