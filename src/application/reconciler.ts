import type { FlinkJobState } from '../domain/jobs/job.ts';
import { message, renderMessage, type Message } from '../domain/messages.ts';
import type { MetadataStore } from './ports/store.ts';
import type { TargetService } from './target-service.ts';
import type { JobStates } from './job-states.ts';
import { systemClock, type Clock } from './ports/clock.ts';
import { afterInterruption, startsAJob } from '../domain/jobs/decisions.ts';
import { milestoneAfterRestart } from '../domain/jobs/lifecycle.ts';
import { ClusterStarting } from '../domain/targets/deployment-target.ts';

const LATE_SUBMIT_WAIT_MS = 4000;

/**
 * At platform start, submissions a killed platform left half-way are finished or rolled back from
 * what the cluster says, never by guessing. A start whose reserved Flink job id exists on the cluster
 * is finished (the job is re-attached); one whose id Flink never saw is rolled back. Nothing is
 * submitted again here, so no job can run twice.
 */
export async function reconcileInterruptedSubmissions(
  store: MetadataStore,
  targets: TargetService,
  states: JobStates,
  log: (l: string) => void,
  clock: Clock = systemClock,
): Promise<void> {
  for (const sub of await store.lifecycle.runningSubmissions()) {
    const job = await store.jobs.getById(sub.jobId);
    if (!job) continue;
    // Said as a step's name: the console translates it as it translates step names.
    const step = sub.steps.at(-1)?.name ?? 'before its first step';
    const note = (line: string, ended: 'succeeded' | 'failed') => {
      const last = sub.steps.at(-1);
      if (last) {
        last.log.push(`${new Date().toISOString()} ${line}`);
        if (last.status === 'running')
          Object.assign(last, { status: ended, endedAt: new Date().toISOString() });
      }
    };
    // A jar the session deploy uploaded and did not live to delete: the job (if it runs) has its own copy.
    const deleteUploadedJar = async (jarId: string) => {
      const where = `${job.target}'s JobManager`;
      try {
        if (!target?.jars) throw new Error(`${job.target} takes no jars`);
        await target.jars.deleteJar(jarId);
        sub.steps
          .at(-1)
          ?.log.push(
            `${new Date().toISOString()} uploaded jar ${jarId} deleted from ${where} after the restart`,
          );
        await store.lifecycle.updateSubmission(sub.id, { uploadedJarId: null });
        log(`job ${job.name} submission #${sub.number}: uploaded jar ${jarId} deleted from ${where}`);
      } catch (e) {
        // Kept recorded: the submission still says which jar was left there.
        sub.steps
          .at(-1)
          ?.log.push(
            `${new Date().toISOString()} uploaded jar ${jarId} not deleted from ${where}: ${(e as Error).message}`,
          );
      }
    };
    const finish = async (status: 'succeeded' | 'failed' | 'rolled_back', said: Message) => {
      const line = renderMessage(said);
      note(line, status === 'succeeded' ? 'succeeded' : 'failed');
      await store.lifecycle.updateSubmission(sub.id, {
        status,
        steps: sub.steps,
        finishedAt: new Date().toISOString(),
        ...(status === 'succeeded' ? {} : { failedStep: step, error: line, errorMessage: said }),
      });
      log(`job ${job.name} submission #${sub.number}: ${line}`);
    };
    const target = await targets.target(job.target).catch(() => null);
    if (sub.uploadedJarId) await deleteUploadedJar(sub.uploadedJarId);
    // A start killed before it recorded the id the cluster's manager chose (the operator's, for a
    // FlinkSessionJob) left the reserved one: the adopted run is known by the chosen one from here on.
    const chosen =
      sub.flinkJobId && startsAJob(sub.kind, true)
        ? (target?.applications?.chosenJobId?.(sub.flinkJobId) ?? null)
        : null;
    if (chosen && chosen !== sub.flinkJobId) {
      sub.steps
        .at(-1)
        ?.log.push(
          `${new Date().toISOString()} Flink job id ${chosen} chosen by the cluster's manager for the run reserved as ${sub.flinkJobId}, found after the restart`,
        );
      sub.flinkJobId = chosen;
      await store.lifecycle.updateSubmission(sub.id, { flinkJobId: chosen, steps: sub.steps });
      await store.jobs.updateRuntime(job.id, { flinkJobId: chosen });
    }
    let flinkState: FlinkJobState | 'absent' | 'unreachable' | 'starting' =
      sub.flinkJobId && target
        ? await target.observer
            .jobState(sub.flinkJobId)
            .catch((e) => (e instanceof ClusterStarting ? ('starting' as const) : ('unreachable' as const)))
        : 'absent';
    const opts = { submissionId: sub.id };
    const facts =
      flinkState === 'starting' && sub.flinkJobId && startsAJob(sub.kind, true)
        ? await target?.applications?.facts(sub.flinkJobId).catch(() => null)
        : null;
    if (facts?.alive && !facts.failing) {
      // Its own cluster was applied and is coming up: it runs the job when it is up, so it is
      // adopted at the milestone its pods show, and the tracker follows it to RUNNING.
      const said = message('reconcile.adoptedStarting', {
        step,
        status: facts.status ?? '',
        flinkJobId: sub.flinkJobId!,
      });
      await finish('succeeded', said);
      const to = milestoneAfterRestart(
        job.state,
        !!facts.jobManager,
        facts.taskManagers >= facts.expectedTaskManagers,
      );
      const patch = {
        submissionInFlight: null,
        flinkJobId: sub.flinkJobId,
        deployedVersion: sub.versionNumber,
      };
      if (to === job.state) await store.jobs.updateRuntime(job.id, patch);
      else await states.move(job, to, said, 'platform', { ...opts, patch });
      continue;
    }
    if (flinkState === 'starting') flinkState = 'unreachable';
    if (flinkState === 'unreachable') {
      // Can't see the cluster: keep the job UNKNOWN with the facts; the tracker settles it later.
      await finish('failed', message('reconcile.interruptedSilent', { step, cluster: job.target }));
      await states.move(
        job,
        'UNKNOWN',
        message('reconcile.clusterSilent', { submission: sub.number, cluster: job.target }),
        'platform',
        {
          ...opts,
          patch: { submissionInFlight: null, flinkJobId: sub.flinkJobId },
        },
      );
      continue;
    }
    if (startsAJob(sub.kind, !!sub.flinkJobId)) {
      // The SQL Gateway finishes a statement set it received even when the platform died meanwhile:
      // a reserved id may still appear, so it is looked for a little longer before rolling back.
      for (
        let waited = 0;
        flinkState === 'absent' && sub.flinkJobId && target && waited < LATE_SUBMIT_WAIT_MS;
        waited += 250
      ) {
        await clock.sleep(250);
        flinkState = await target.observer.jobState(sub.flinkJobId).catch(() => 'absent' as const);
      }
      const outcome = afterInterruption({
        kind: sub.kind,
        reservedId: !!sub.flinkJobId,
        seen: flinkState,
        current: job.state,
      });
      if (outcome.submission === 'succeeded') {
        await finish(
          'succeeded',
          message('reconcile.finished', { flinkJobId: sub.flinkJobId ?? '', flinkState }),
        );
        await states.move(
          job,
          outcome.to,
          message('reconcile.reattached', { flinkJobId: sub.flinkJobId ?? '', flinkState }),
          'platform',
          {
            ...opts,
            patch: {
              submissionInFlight: null,
              flinkJobId: sub.flinkJobId,
              deployedVersion: sub.versionNumber,
            },
          },
        );
        continue;
      }
      await finish(
        'rolled_back',
        sub.flinkJobId
          ? message('reconcile.rolledBackId', { step, flinkJobId: sub.flinkJobId })
          : message('reconcile.rolledBackSubmission', { step }),
      );
      // A job's own cluster whose job never came is not left behind.
      if (sub.flinkJobId) await target?.applications?.release(sub.flinkJobId, log).catch(() => undefined);
      await states.move(job, outcome.to, message('reconcile.rolledBack', { step }), 'platform', {
        ...opts,
        patch: { submissionInFlight: null, flinkJobId: null, desiredState: 'stopped' },
      });
      continue;
    }
    // stop, cancel, savepoint, or the stop half of an upgrade: Flink's current answer decides.
    const current =
      job.flinkJobId && target
        ? await target.observer.jobState(job.flinkJobId).catch(() => 'absent' as const)
        : 'absent';
    const outcome = afterInterruption({
      kind: sub.kind,
      reservedId: !!sub.flinkJobId,
      seen: current,
      current: job.state,
    });
    const done = outcome.submission === 'succeeded';
    if (done && sub.kind === 'stop' && job.flinkJobId && target && !sub.savepointPath) {
      const savepoint = await target.observer.latestSavepoint(job.flinkJobId);
      if (savepoint) {
        await store.lifecycle.addSavepoint({
          jobId: job.id,
          submissionId: sub.id,
          flinkJobId: job.flinkJobId,
          path: savepoint,
          kind: 'savepoint',
          origin: 'stop',
          sizeBytes: null,
        });
        await store.lifecycle.updateSubmission(sub.id, { savepointPath: savepoint });
      }
    }
    await finish(
      done ? 'succeeded' : 'failed',
      done
        ? message('reconcile.finishedAsAsked', { flinkState: current, kind: sub.kind })
        : message('reconcile.interrupted', { step, flinkState: current }),
    );
    const to = outcome.to;
    if (job.flinkJobId && ['STOPPED', 'CANCELLED', 'FAILED', 'FINISHED'].includes(to))
      await target?.applications?.release(job.flinkJobId, log).catch(() => undefined);
    if (job.state === to) await store.jobs.updateRuntime(job.id, { submissionInFlight: null });
    else
      await states.move(
        job,
        to,
        message('reconcile.flinkReports', { kind: sub.kind, submission: sub.number, flinkState: current }),
        'platform',
        { ...opts, patch: { submissionInFlight: null } },
      );
  }
}
