import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FLINK_OPTION_SPECS } from '../../../../domain/jobs/flink-options.ts';
import '../../i18n/index.ts';
import { joinOptions, splitOptions } from '../../models/job-settings.ts';
import { SettingsPanel, type JobSettings } from './SettingsPanel.tsx';

describe('SettingsPanel', () => {
  it('has a field for every option the form keeps out of the free text, showing its value', () => {
    const settings: JobSettings = {
      target: undefined,
      engineVersion: undefined,
      parallelism: 2,
      restartPolicy: { kind: 'none' },
      resubmitPolicy: { kind: 'none' },
      catalogs: [],
      options: splitOptions({ 'table.exec.state.ttl': '1 h', 'pipeline.name': 'x' }),
    };
    const html = renderToStaticMarkup(
      <QueryClientProvider client={new QueryClient()}>
        <SettingsPanel
          value={settings}
          onChange={() => {}}
          joined={joinOptions(settings.options)}
          space="default"
        />
      </QueryClientProvider>,
    );
    // An option with no field would be refused in the text ("has its own field above") and unreachable.
    for (const { key } of FLINK_OPTION_SPECS) expect(html, key).toContain(`data-testid="option-${key}"`);
    expect(html).toContain('value="1 h"');
    expect(html).toContain('pipeline.name=x');
  });

  it("says a new job's default target in its space in the empty target field, and the rule beside it", () => {
    const settings: JobSettings = {
      target: undefined,
      engineVersion: undefined,
      parallelism: 1,
      restartPolicy: { kind: 'none' },
      resubmitPolicy: { kind: 'none' },
      catalogs: [],
      options: splitOptions({}),
    };
    const render = (defaultTarget: string | null) =>
      renderToStaticMarkup(
        <QueryClientProvider client={new QueryClient()}>
          <SettingsPanel
            value={settings}
            onChange={() => {}}
            joined={joinOptions(settings.options)}
            space="team-a"
            defaultTarget={defaultTarget}
          />
        </QueryClientProvider>,
      );
    const html = render('local-application-1.20');
    expect(html).toContain('Default in team-a: local-application-1.20');
    expect(html).toContain('its local application target (local-application-&lt;version&gt;');
    // Not known (an edit, or the engines not read yet): the rule's words only.
    expect(render(null)).toContain('The default target of the job’s space');
  });
});
