import { describe, expect, it } from 'vitest';
import { flinkJavaOptions, jobManagerArgs } from './jvm.ts';

describe("Flink's Java options for the processes Sluice starts itself", () => {
  it('reads the options for all processes, then the role’s own, as bin/config.sh does', () => {
    const config = {
      'env.java.default-opts.all': '-XX:+UseG1GC',
      'env.java.opts.all': '"-Dall=1  -Dsecond=2"',
      'env.java.default-opts.jobmanager': '-Djm.default=1',
      'env.java.opts.jobmanager': '-Djm=1',
      'env.java.opts.taskmanager': '-XX:+HeapDumpOnOutOfMemoryError',
      'env.java.opts.sql-gateway': '-Dgw=1',
    };
    expect(flinkJavaOptions(config, 'jobmanager', {})).toEqual([
      '-XX:+UseG1GC',
      '-Dall=1',
      '-Dsecond=2',
      '-Djm.default=1',
      '-Djm=1',
    ]);
    expect(flinkJavaOptions(config, 'taskmanager', {})).toEqual([
      '-XX:+UseG1GC',
      '-Dall=1',
      '-Dsecond=2',
      '-XX:+HeapDumpOnOutOfMemoryError',
    ]);
    expect(flinkJavaOptions(config, 'sql-gateway', {})).toEqual([
      '-XX:+UseG1GC',
      '-Dall=1',
      '-Dsecond=2',
      '-Dgw=1',
    ]);
  });

  it('takes the deprecated env.java.opts when env.java.opts.all is not set, and nothing when neither is', () => {
    expect(flinkJavaOptions({ 'env.java.opts': '-Dold=1' }, 'taskmanager', {})).toEqual(['-Dold=1']);
    expect(
      flinkJavaOptions({ 'env.java.opts': '-Dold=1', 'env.java.opts.all': '-Dnew=1' }, 'taskmanager', {}),
    ).toEqual(['-Dnew=1']);
    expect(flinkJavaOptions({}, 'jobmanager', {})).toEqual([]);
  });

  it("lets the environment's FLINK_ENV_JAVA_OPTS replace the options for all, and keeps the role's", () => {
    const config = { 'env.java.opts.all': '-Dall=1', 'env.java.opts.taskmanager': '-Dtm=1' };
    const env = { FLINK_ENV_JAVA_OPTS: '-XX:TieredStopAtLevel=1' };
    expect(flinkJavaOptions(config, 'taskmanager', env)).toEqual(['-XX:TieredStopAtLevel=1', '-Dtm=1']);
    expect(flinkJavaOptions(config, 'taskmanager', { FLINK_ENV_JAVA_OPTS: '' })).toEqual([
      '-Dall=1',
      '-Dtm=1',
    ]);
  });

  it('puts them after the memory and Java 17 flags, so a configured flag wins, and before the main class', () => {
    const args = jobManagerArgs(
      { jvmArgs: ['-Xmx512m'], dynamicProperties: [] },
      { 'env.java.opts.jobmanager': '-Xmx600m' },
      '/c/conf',
      '/c/log/jobmanager.log',
      ['/e/lib/a.jar'],
      null,
      { mainClass: 'Main', args: [] },
    );
    expect(args.indexOf('-Xmx600m')).toBeGreaterThan(args.indexOf('-Xmx512m'));
    expect(args.indexOf('-Xmx600m')).toBeGreaterThan(args.findIndex((a) => a.startsWith('--add-opens')));
    expect(args.indexOf('-Xmx600m')).toBeLessThan(args.indexOf('Main'));
  });
});
