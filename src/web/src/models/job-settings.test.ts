import { describe, expect, it } from 'vitest';
import { joinOptions, setField, splitOptions } from './job-settings.ts';

describe('job settings form', () => {
  const options = {
    'execution.checkpointing.interval': '30 s',
    'state.backend.type': 'hashmap',
    'table.local-time-zone': 'Asia/Shanghai',
    'pipeline.operator-chaining.enabled': 'false',
  };

  it('puts the options that have a field apart from the free text, and joins them back unchanged', () => {
    const form = splitOptions(options);
    expect(form.fields).toEqual({
      'execution.checkpointing.interval': '30 s',
      'state.backend.type': 'hashmap',
    });
    expect(form.otherText).toBe(
      'table.local-time-zone=Asia/Shanghai\npipeline.operator-chaining.enabled=false',
    );
    expect(joinOptions(form)).toEqual({ ok: true, options });
  });

  it('leaves an emptied field out, so that Flink uses its default', () => {
    const form = setField(splitOptions(options), 'execution.checkpointing.interval', ' ');
    const joined = joinOptions(form);
    expect(joined.ok && joined.options).not.toHaveProperty('execution.checkpointing.interval');
    // Kept as typed while editing (a space typed before the unit stays), trimmed when saved.
    const typing = setField(form, 'execution.checkpointing.interval', '2 ');
    expect(typing.fields).toHaveProperty('execution.checkpointing.interval', '2 ');
    const joinedTrimmed = joinOptions(setField(form, 'execution.checkpointing.mode', ' AT_LEAST_ONCE '));
    expect(joinedTrimmed.ok && joinedTrimmed.options).toHaveProperty(
      'execution.checkpointing.mode',
      'AT_LEAST_ONCE',
    );
  });

  it('names a bad value, a bad line and an option written twice', () => {
    expect(joinOptions(setField(splitOptions({}), 'execution.checkpointing.interval', '10 secs x'))).toEqual({
      ok: false,
      field: 'execution.checkpointing.interval',
      error: expect.stringMatching(/^execution.checkpointing.interval: '10 secs x' is not a duration/),
    });
    expect(joinOptions({ fields: {}, otherText: 'a=1\nno equals sign' })).toEqual({
      ok: false,
      error: 'line 2: write it as key=value',
    });
    expect(joinOptions({ fields: {}, otherText: 'a=1\n state.backend.type = rocksdb' })).toEqual({
      ok: false,
      error: 'line 2: state.backend.type has its own field above: set it there',
    });
  });
});
