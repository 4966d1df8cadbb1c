/**
 * The file systems Flink reaches through plugins (or Hadoop on the classpath), by the schemes of the
 * paths they serve. A savepoint path on a scheme the engine has no file system for cannot be
 * restored: Flink would fail the job at submit with an UnsupportedFileSystemSchemeException.
 */
const FILE_SYSTEMS: { schemes: string[]; jar: RegExp; artifact: string }[] = [
  { schemes: ['s3', 's3a'], jar: /^flink-s3-fs-hadoop-/, artifact: 'org.apache.flink:flink-s3-fs-hadoop' },
  { schemes: ['s3', 's3p'], jar: /^flink-s3-fs-presto-/, artifact: 'org.apache.flink:flink-s3-fs-presto' },
  { schemes: ['oss'], jar: /^flink-oss-fs-hadoop-/, artifact: 'org.apache.flink:flink-oss-fs-hadoop' },
  { schemes: ['gs'], jar: /^flink-gs-fs-hadoop-/, artifact: 'org.apache.flink:flink-gs-fs-hadoop' },
  {
    schemes: ['abfs', 'abfss', 'wasb', 'wasbs'],
    jar: /^flink-azure-fs-hadoop-/,
    artifact: 'org.apache.flink:flink-azure-fs-hadoop',
  },
  {
    schemes: ['hdfs', 'viewfs'],
    jar: /^(hadoop-hdfs|hadoop-client|flink-shaded-hadoop)/,
    artifact: 'Hadoop (HADOOP_CLASSPATH)',
  },
];

/** The scheme of a path (`s3` of `s3://bucket/x`), or null for a plain local path. */
export function schemeOf(location: string): string | null {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(location);
  return m ? m[1]!.toLowerCase() : null;
}

/** The schemes an engine can read, from the names of the jars in its plugins/ and lib/ folders. */
export function readableSchemes(jarNames: string[]): Set<string> {
  const schemes = new Set(['file']);
  for (const fs of FILE_SYSTEMS)
    if (jarNames.some((j) => fs.jar.test(j))) fs.schemes.forEach((s) => schemes.add(s));
  return schemes;
}

/** What to add to an engine so that it reads a scheme, when Flink offers a file system for it. */
export function fileSystemFor(scheme: string): string | null {
  return FILE_SYSTEMS.find((f) => f.schemes.includes(scheme))?.artifact ?? null;
}
