import type { Job } from '../domain/jobs/job.ts';
import { transition, type LifecycleState, type TransitionSource } from '../domain/jobs/lifecycle.ts';
import { mapMessageText, renderMessage, type Message } from '../domain/messages.ts';
import type { MetadataStore, RuntimePatch } from './ports/store.ts';
import type { EventBus } from './event-bus.ts';
import { maskKnownSecrets } from './secret-masking.ts';

/**
 * The one place a job's runtime state changes: the transition is checked against the lifecycle,
 * stored with the job, kept as an event (from, to, reason, source, time) and pushed to clients.
 */
export class JobStates {
  constructor(
    private readonly store: MetadataStore,
    private readonly bus: EventBus,
  ) {}

  async move(
    job: Job,
    to: LifecycleState,
    reason: Message,
    source: TransitionSource,
    opts: { submissionId?: string | null; patch?: RuntimePatch } = {},
  ): Promise<Job> {
    // A reason often quotes Flink, which may quote a secret option: masked where it enters each value.
    const coded = mapMessageText(reason, maskKnownSecrets);
    const text = renderMessage(coded);
    const t = transition(job.state, to, text, source);
    const patch: RuntimePatch = { ...opts.patch };
    if (t) {
      patch.state = to;
      patch.stateReason = t.reason;
      patch.stateReasonMessage = coded;
      patch.stateSince = new Date().toISOString();
      // While the platform cannot see a job, the last state it saw is kept beside UNKNOWN.
      if (to === 'UNKNOWN') patch.lastKnownState = job.state;
      else if (job.state === 'UNKNOWN') patch.lastKnownState = null;
    }
    if (Object.keys(patch).length) await this.store.jobs.updateRuntime(job.id, patch);
    if (t) {
      const event = await this.store.lifecycle.addEvent({
        ...t,
        reasonMessage: coded,
        jobId: job.id,
        submissionId: opts.submissionId ?? null,
      });
      this.bus.publish({ type: 'job.state', jobName: job.name, event });
    }
    return (await this.store.jobs.getById(job.id))!;
  }
}
