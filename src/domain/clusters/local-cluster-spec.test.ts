import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.ts';
import { renderMessage } from '../messages.ts';
import {
  checkLocalClusterSpec,
  LOCAL_CLUSTER_DEFAULTS,
  portCollision,
  portsBeside,
  type LocalClusterSpec,
} from './local-cluster-spec.ts';

const GIB = 1024 ** 3;
const spec = (over: Partial<LocalClusterSpec> = {}): LocalClusterSpec => ({
  name: 'local-1.20',
  engineVersion: '1.20',
  ...LOCAL_CLUSTER_DEFAULTS,
  ...over,
});
const machine = { memoryBytes: 16 * GIB };
/** The refusal as the API sends it: code, field, message code and English text. */
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (!(e instanceof SluiceError)) throw e;
    return { code: e.code, field: e.details.field, messageCode: e.text?.code, message: e.message };
  }
  throw new Error('accepted');
};

describe('a local cluster definition', () => {
  it('takes the defaults and any size Flink reads, within the machine', () => {
    expect(() => checkLocalClusterSpec(spec(), machine)).not.toThrow();
    expect(() =>
      checkLocalClusterSpec(
        spec({ jobManagerMemory: '768 MB', taskManagerMemory: '1 g', gatewayMemory: '256mebibytes' }),
        machine,
      ),
    ).not.toThrow();
  });

  it('refuses memory Flink cannot start with, naming the field and the least it needs', () => {
    expect(refusal(() => checkLocalClusterSpec(spec({ jobManagerMemory: '0m' }), machine))).toEqual({
      code: 'invalid_argument',
      field: 'jobManagerMemory',
      messageCode: 'cluster.memoryTooSmall',
      message:
        'jobManagerMemory: 0m is less than 768m, the least a JobManager of Flink starts with: give at least 768m',
    });
    expect(refusal(() => checkLocalClusterSpec(spec({ taskManagerMemory: '1023m' }), machine)).field).toBe(
      'taskManagerMemory',
    );
    expect(refusal(() => checkLocalClusterSpec(spec({ gatewayMemory: '2048' }), machine)).message).toBe(
      "gatewayMemory: '2048' has no unit, so Flink reads it as 2048 bytes, less than the 256m a SQL Gateway needs: did you mean 2048m?",
    );
    expect(refusal(() => checkLocalClusterSpec(spec({ gatewayMemory: '1.5g' }), machine)).messageCode).toBe(
      'cluster.memoryNotASize',
    );
  });

  it('refuses more memory than the machine has, alone or all processes together', () => {
    expect(refusal(() => checkLocalClusterSpec(spec({ gatewayMemory: '175GB' }), machine))).toMatchObject({
      field: 'gatewayMemory',
      message: "gatewayMemory: 175GB is more than this machine's memory (16g): give at most 16g",
    });
    expect(
      refusal(() => checkLocalClusterSpec(spec({ taskManagers: 8, taskManagerMemory: '2g' }), machine))
        .message,
    ).toBe(
      "the cluster would take 17920m of memory (JobManager 1024m, 8 TaskManager(s) of 2g each, SQL Gateway 512m), more than this machine's 16g: give fewer TaskManagers or less memory",
    );
  });

  it('refuses option keys that are not option names, and options its own fields set', () => {
    for (const key of ['a\u0001b', 'a b', ' rest.port', 'x\ny: 1', "it's", 'a:b', '#x', ''])
      expect(
        refusal(() => checkLocalClusterSpec(spec({ flinkConfig: { [key]: '1' } }), machine)),
        key,
      ).toMatchObject({
        messageCode: 'cluster.configKeyInvalid',
      });
    expect(
      refusal(() => checkLocalClusterSpec(spec({ flinkConfig: { 'rest.port': '9999' } }), machine)),
    ).toMatchObject({
      field: 'flinkConfig.rest.port',
      message: "flinkConfig: 'rest.port' is set from the cluster's restPort field: set restPort instead",
    });
    expect(
      refusal(() => checkLocalClusterSpec(spec({ flinkConfig: { 'rest.bind-address': '0.0.0.0' } }), machine))
        .messageCode,
    ).toBe('cluster.configKeyLoopback');
    expect(() =>
      checkLocalClusterSpec(
        spec({ flinkConfig: { 'state.backend.type': 'rocksdb', 'env.java.opts.all': '-Dx=1' } }),
        machine,
      ),
    ).not.toThrow();
  });

  it("collides with another cluster's ports and with the API's own, never with itself", () => {
    const other = spec({ name: 'other', restPort: 9001, rpcPort: 9002, gatewayPort: 9003 });
    const own = spec();
    expect(portCollision(own, [own, other], 8080)).toBeNull();
    const taken = portCollision(spec({ rpcPort: 9003 }), [other], 8080)!;
    expect(taken.details).toEqual({ field: 'rpcPort' });
    expect(renderMessage(taken.text!)).toBe(
      'rpcPort: port 9003 is already the gatewayPort of cluster other: choose another port',
    );
    expect(renderMessage(portCollision(spec({ restPort: 8080 }), [], 8080)!.text!)).toBe(
      "restPort: port 8080 is Sluice's own API port: choose another port",
    );
  });

  it("moves an engine's default cluster's ports past the other clusters' and the API's, all three by one step", () => {
    const first = spec();
    expect(portsBeside(spec({ name: 'local-1.19' }), [], 8080)).toEqual({
      restPort: 8081,
      rpcPort: 6123,
      gatewayPort: 8083,
    });
    const second = {
      ...spec({ name: 'local-1.19' }),
      ...portsBeside(spec({ name: 'local-1.19' }), [first], 8080),
    };
    expect(second).toMatchObject({ restPort: 8082, rpcPort: 6124, gatewayPort: 8084 });
    // 8083 and 8084 are the others' gateways: the third moves on to where none is taken.
    const third = portsBeside(spec({ name: 'local-2.2' }), [first, second], 8080);
    expect(third).toEqual({ restPort: 8085, rpcPort: 6127, gatewayPort: 8087 });
    expect(portCollision({ ...spec({ name: 'local-2.2' }), ...third }, [first, second], 8080)).toBeNull();
    // The API on a default port is stepped over too.
    expect(portsBeside(spec(), [], 8081)).toEqual({ restPort: 8082, rpcPort: 6124, gatewayPort: 8084 });
  });
});
