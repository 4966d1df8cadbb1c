import { describe, expect, it } from 'vitest';
import { maskFlinkBody, maskFlinkString, maskJsonValue } from './flink-ui-masking.ts';

const SECRET = 'pa"ss\\w0rd';
const SECRETS = [SECRET, 'jobs'];
const mask = (s: string) => maskFlinkString(s, SECRETS);
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('masking what Flink answers through the Web UI proxy', () => {
  it('masks each string value that holds a secret, in place, keys included', () => {
    const plan = {
      jid: 'a'.repeat(32),
      name: 'orders',
      nodes: [{ description: `Filter(where=[<>(name, _UTF-16LE'${SECRET}')])`, parallelism: 1 }],
      [`key-${SECRET}`]: true,
      n: null,
    };
    const out = maskJsonValue(plan, mask);
    expect(out.masked).toBe(true);
    expect(out.value).toEqual({
      jid: 'a'.repeat(32),
      name: 'orders',
      nodes: [{ description: "Filter(where=[<>(name, _UTF-16LE'******')])", parallelism: 1 }],
      'key-******': true,
      n: null,
    });
    expect(maskJsonValue(['x', 1, { y: [true] }], mask)).toEqual({
      value: ['x', 1, { y: [true] }],
      masked: false,
    });
  });

  it('masks a secret as Flink renders it in plan descriptions: HTML-escaped, line breaks as <br/>', () => {
    // Flink's JsonPlanGenerator: escapeHtml4, then "\n" -> "<br/>" and "\" -> "&#92;".
    expect(mask("[2]:Calc(where=[(name &lt;&gt; 'pa&quot;ss&#92;w0rd')])<br/>")).toBe(
      "[2]:Calc(where=[(name &lt;&gt; '******')])<br/>",
    );
    expect(maskFlinkString('a &amp; caf&eacute;&lt;1&gt; and caf&#233;<1>!', ['café<1>'])).toBe(
      'a &amp; ****** and ******!',
    );
    expect(maskFlinkString('x=li&#x6E;e1<br/>line2 y', ['line1\nline2'])).toBe('x=****** y');
    // Nothing that decodes to a secret is left alone, entities and all.
    expect(mask('&lt;br/&gt; &amp;quot; &unknown; &#92;')).toBe('&lt;br/&gt; &amp;quot; &unknown; &#92;');
    expect(mask(`${SECRET} and pa&quot;ss&#92;w0rd`)).toBe('****** and ******');
  });

  it('masks a secret that JSON escapes, which text replacement in the serialized body misses', () => {
    const body = json({ 'user-config': { token: SECRET } });
    expect(body.toString()).not.toContain(SECRET);
    const out = maskFlinkBody('application/json; charset=UTF-8', body, SECRETS);
    expect(JSON.parse(out.toString())).toEqual({ 'user-config': { token: '******' } });
  });

  it('keeps the structure when a secret is also a key or a piece of the syntax', () => {
    // "jobs" is a secret here and a key of /jobs/overview: only values holding it change.
    const out = maskFlinkBody(
      'application/json',
      json({ jobs: [{ name: 'jobs-daily', state: 'RUNNING' }] }),
      SECRETS,
    );
    expect(JSON.parse(out.toString())).toEqual({ '******': [{ name: '******-daily', state: 'RUNNING' }] });
  });

  it('passes a body with nothing to mask byte for byte, big numbers and all', () => {
    const raw = Buffer.from('{"max":9223372036854775807,"name":"orders"}');
    expect(maskFlinkBody('application/json', raw, SECRETS)).toBe(raw);
    // A piece of the secret ("w0rd") but not the secret: parsed, found clean, sent as it came.
    const near = Buffer.from('{"max":9223372036854775807,"name":"w0rd-count"}');
    expect(maskFlinkBody('application/json', near, SECRETS)).toBe(near);
    expect(maskFlinkBody('application/json', json({ name: SECRET }), [])).toEqual(json({ name: SECRET }));
  });

  it('masks plain text (log files) and leaves the UI files, and broken JSON is masked as text', () => {
    const log = Buffer.from(`INFO submitting with token ${SECRET}\n`);
    expect(maskFlinkBody('text/plain', log, SECRETS).toString()).toBe('INFO submitting with token ******\n');
    const script = Buffer.from(`const jobs = "${SECRET}";`);
    expect(maskFlinkBody('application/javascript', script, SECRETS)).toBe(script);
    expect(maskFlinkBody('text/html; charset=utf-8', script, SECRETS)).toBe(script);
    expect(maskFlinkBody('application/json', Buffer.from(`{"a": "${SECRET}`), SECRETS).toString()).toBe(
      '{"a": "******',
    );
  });

  it('masks a secret with no letter or digit, which leaves no trace to look for first', () => {
    const out = maskFlinkBody('application/json', json({ p: 'a &amp;&lt;!&gt; b', q: '&<!>' }), ['&<!>']);
    expect(JSON.parse(out.toString())).toEqual({ p: 'a ****** b', q: '******' });
  });

  it('keeps a "__proto__" key a key', () => {
    const out = maskFlinkBody('application/json', Buffer.from('{"__proto__":{"x":"jobs"}}'), SECRETS);
    expect(out.toString()).toBe('{"__proto__":{"x":"******"}}');
  });
});
