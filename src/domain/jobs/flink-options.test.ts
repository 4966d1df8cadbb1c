import { describe, expect, it } from 'vitest';
import { renderMessage } from '../messages.ts';
import { flinkOptionProblem, maxParallelismIssue, parseFlinkDuration } from './flink-options.ts';

const maxParallelismProblem = (o: Record<string, string>, p: number) => {
  const issue = maxParallelismIssue(o, p);
  return issue && renderMessage(issue);
};

describe('Flink option values', () => {
  it('reads durations the way Flink does: digits, an optional unit, milliseconds by default', () => {
    expect(parseFlinkDuration('500')).toBe(500);
    expect(parseFlinkDuration('30 s')).toBe(30_000);
    expect(parseFlinkDuration('30s')).toBe(30_000);
    expect(parseFlinkDuration('2 MIN')).toBe(120_000);
    expect(parseFlinkDuration('5m')).toBe(300_000);
    expect(parseFlinkDuration('1 hours')).toBe(3_600_000);
    expect(parseFlinkDuration('3 days')).toBe(259_200_000);
    expect(parseFlinkDuration(' 10 seconds ')).toBe(10_000);
    for (const bad of ['', 's', '1.5 s', '-1 s', '10 secx', '10 mins', '1 s 2 ms'])
      expect(parseFlinkDuration(bad), bad).toBeNull();
  });

  it('names what is wrong with a known option and how to write it', () => {
    expect(flinkOptionProblem('execution.checkpointing.interval', '10 sec x')).toMatch(
      /'10 sec x' is not a duration: write a number and a unit such as 30 s/,
    );
    expect(flinkOptionProblem('execution.checkpointing.interval', '5 ms')).toMatch(/at least 10 ms/);
    expect(flinkOptionProblem('execution.checkpointing.interval', '30 s')).toBeNull();
    expect(flinkOptionProblem('execution.checkpointing.mode', 'exactly_once')).toBeNull();
    expect(flinkOptionProblem('execution.checkpointing.mode', 'ONCE')).toMatch(/EXACTLY_ONCE, AT_LEAST_ONCE/);
    expect(flinkOptionProblem('execution.checkpointing.incremental', 'yes')).toMatch(/not true or false/);
    expect(flinkOptionProblem('pipeline.max-parallelism', '0')).toMatch(/out of range: use 1 to 32768/);
    expect(flinkOptionProblem('pipeline.max-parallelism', '12x')).toMatch(/not a whole number/);
    expect(flinkOptionProblem('state.backend.type', 'rocksdb')).toBeNull();
    expect(flinkOptionProblem('state.backend.type', 'com.example.MyBackendFactory')).toBeNull();
    expect(flinkOptionProblem('state.backend.type', 'memory')).toMatch(/hashmap, rocksdb/);
  });

  it('leaves unknown options and variable references to Flink', () => {
    expect(flinkOptionProblem('some.connector.option', 'anything')).toBeNull();
    expect(flinkOptionProblem('execution.checkpointing.interval', '${interval}')).toBeNull();
  });

  it('checks the maximum parallelism against the parallelism, and that an option has a key', () => {
    expect(maxParallelismProblem({ 'pipeline.max-parallelism': '4' }, 8)).toMatch(
      /below the job's parallelism 8/,
    );
    expect(maxParallelismProblem({ 'pipeline.max-parallelism': '128' }, 8)).toBeNull();
    expect(maxParallelismProblem({}, 8)).toBeNull();
    expect(flinkOptionProblem(' ', 'x')).toBe('an option needs a key');
  });
});
