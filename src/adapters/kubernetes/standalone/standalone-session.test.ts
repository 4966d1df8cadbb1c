import { describe, expect, it } from 'vitest';
import type { RawResponse } from '../../../domain/targets/deployment-target.ts';
import type { KubeApi } from './kube-api.ts';
import { sessionUiThrough } from './standalone-session.ts';

const answer = (status: number): RawResponse => ({
  status,
  contentType: 'text/plain',
  body: Buffer.from('x'),
});

function ui(status: number, state: string) {
  const asked: string[] = [];
  const api = {
    get: async (url: string) => {
      asked.push(url);
      return answer(status);
    },
  } as unknown as KubeApi;
  return {
    asked,
    ui: sessionUiThrough(api, 'https://k8s/api/v1/namespaces/n/services/s:rest/proxy', async () => state),
  };
}

describe("a Kubernetes session's Web UI through the API server", () => {
  it("asks the service proxy and hands Flink's answer on", async () => {
    const { asked, ui: u } = ui(200, 'running');
    expect(await u.get('/overview', AbortSignal.timeout(1000))).toMatchObject({ status: 200 });
    expect(asked).toEqual(['https://k8s/api/v1/namespaces/n/services/s:rest/proxy/overview']);
  });

  it("says the session's state when the proxy finds nothing behind it and the session is not running", async () => {
    expect(await ui(503, 'stopped').ui.get('/overview', AbortSignal.timeout(1000))).toEqual({
      notRunning: 'stopped',
    });
    expect(await ui(404, 'starting').ui.get('/', AbortSignal.timeout(1000))).toEqual({
      notRunning: 'starting',
    });
    // A running session's 404 is Flink's own (an unknown job, say).
    expect(await ui(404, 'running').ui.get('/jobs/x', AbortSignal.timeout(1000))).toMatchObject({
      status: 404,
    });
  });
});
