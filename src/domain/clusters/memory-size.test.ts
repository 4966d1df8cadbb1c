import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { formatMemorySize, jvmMemoryFlag, MEMORY_SIZE_PATTERN, parseMemorySize } from './memory-size.ts';

const MIB = 1024 * 1024;

describe('memory sizes as Flink reads them', () => {
  it('takes a number with an optional unit in any case, bytes without one', () => {
    expect(parseMemorySize('1024m')).toBe(1024 * MIB);
    expect(parseMemorySize('1536 MB')).toBe(1536 * MIB);
    expect(parseMemorySize(' 2g ')).toBe(2048 * MIB);
    expect(parseMemorySize('2 gibibytes')).toBe(2048 * MIB);
    expect(parseMemorySize('512')).toBe(512);
    expect(parseMemorySize('0m')).toBe(0);
    expect(parseMemorySize('175GB')).toBe(175 * 1024 * MIB);
  });

  it('refuses what Flink refuses: no number, an unknown unit, more than 64 bits', () => {
    for (const text of ['', 'm', '-1m', '1.5g', '1gig', '1 m b', '0x10', '9223372036854775808', '8388608t'])
      expect(parseMemorySize(text), text).toBeNull();
  });

  it("agrees with Flink's own MemorySize.parseBytes on every case, odd ones included", () => {
    const texts = [
      ...['1024m', '1536 MB', ' 2g ', '2 gibibytes', '512', '0m', '175GB', '1T', '3 Kb', '7 BYTES', '10b'],
      ...['', 'm', '-1m', '1.5g', '1gig', '1 m b', '0x10', '١٢m', '1\tm', '\u00011m\u0002', '1\u00a0m'],
      ...['9223372036854775807', '9223372036854775808', '8388607t', '8388608t', '00012m', '1mebibytes'],
    ];
    const lib = path.join(inject('engineHome'), 'lib');
    const out = execFileSync(
      'java',
      ['-cp', `${lib}/*`, path.resolve(import.meta.dirname, '../../../test/support/ParseMemorySizes.java')],
      {
        input: texts.map((t) => Buffer.from(t, 'utf8').toString('base64')).join('\n') + '\n',
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const flink = out.trim().split('\n');
    expect(flink).toHaveLength(texts.length);
    // Compared as doubles: beyond 2^53 bytes a size is refused as larger than any machine anyway.
    const ours = texts.map((t) => parseMemorySize(t) ?? 'refused');
    expect(ours).toEqual(flink.map((f) => (f === 'refused' ? f : Number(f))));
  });

  it("the API's pattern takes what the parser takes, without Java's control-character trimming", () => {
    const re = new RegExp(MEMORY_SIZE_PATTERN);
    for (const ok of ['1024m', '1536 MB', ' 2g ', '2 GiBiBytes', '512', '3 kb'])
      expect(re.test(ok), ok).toBe(true);
    for (const bad of ['', 'm', '-1m', '1.5g', '1gig', '\u00011m', '1\tm'])
      expect(re.test(bad), bad).toBe(false);
  });

  it('says sizes in mebibytes or gibibytes, and as the JVM flag takes them', () => {
    expect(formatMemorySize(768 * MIB)).toBe('768m');
    expect(formatMemorySize(24 * 1024 * MIB)).toBe('24g');
    expect(formatMemorySize(100)).toBe('100 bytes');
    expect(jvmMemoryFlag(parseMemorySize('1 g')!)).toBe('1024m');
    expect(jvmMemoryFlag(parseMemorySize('536870912 bytes')!)).toBe('512m');
  });
});
