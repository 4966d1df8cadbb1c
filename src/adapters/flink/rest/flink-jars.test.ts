import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jarRunCause, uploadJar } from './flink-jars.ts';
import type { RestTransport } from './flink-rest-client.ts';

describe('a jar upload through any transport', () => {
  it('sends the jar as one multipart file field of bytes, which a proxy transport carries as they are', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-jar-'));
    const file = path.join(dir, 'job.jar');
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x0d, 0x0a]);
    fs.writeFileSync(file, bytes);
    const sent: { url: string; headers: Record<string, string>; body: unknown }[] = [];
    const transport: RestTransport = async (url, init) => {
      sent.push({ url, headers: init.headers, body: init.body });
      return { ok: true, status: 200, text: async () => '{"filename":"/tmp/flink-web/abc_job.jar"}' };
    };
    expect(await uploadJar('http://proxy/x', file, transport)).toBe('abc_job.jar');
    expect(sent[0]!.url).toBe('http://proxy/x/jars/upload');
    const type = sent[0]!.headers['content-type']!;
    const boundary = /^multipart\/form-data; boundary=(\S+)$/.exec(type)![1]!;
    // Parsed back as a server would: one part, named jarfile, holding exactly the file's bytes.
    const parsed = await new Response(sent[0]!.body as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': type },
    }).formData();
    const part = parsed.get('jarfile') as File;
    expect(part.name).toBe('job.jar');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes);
    expect(boundary.length).toBeGreaterThan(20);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the cause of a refused /jars/:id/run', () => {
  const trace = (...causes: string[]) =>
    [
      'org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.',
      '\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.lambda$handleRequest$1(JarRunHandler.java:114)',
      ...causes.flatMap((c) => [`Caused by: ${c}`, '\tat somewhere(Somewhere.java:1)']),
    ].join('\n');

  it("is the SQL runner's own line when it wrote one, not the deeper Flink exception it wraps", () => {
    expect(
      jarRunCause(
        trace(
          "org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: Sluice SQL runner: the statement at line 4 failed: Column 'nope' not found in any table",
          "dev.sluice.sqlrunner.SluiceSqlRunner$Failure: Sluice SQL runner: the statement at line 4 failed: Column 'nope' not found in any table",
          "org.apache.calcite.sql.validate.SqlValidatorException: Column 'nope' not found in any table",
        ),
      ),
    ).toBe("Sluice SQL runner: the statement at line 4 failed: Column 'nope' not found in any table");
  });

  it("is the deepest cause of any other jar's failure", () => {
    expect(
      jarRunCause(
        trace(
          'org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: boom',
          'java.lang.IllegalArgumentException: boom',
        ),
      ),
    ).toBe('java.lang.IllegalArgumentException: boom');
  });

  it('is the first line when Flink gave no cause', () => {
    expect(jarRunCause('Jar file /tmp/x.jar does not exist')).toBe('Jar file /tmp/x.jar does not exist');
  });
});
