import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import i18n from '../i18n/index.ts';
import { StateBadge } from './StateBadge.tsx';

describe('StateBadge', () => {
  it('shows the state in the chosen language, with its tone and the raw state for tests', async () => {
    await i18n.changeLanguage('en');
    const running = renderToStaticMarkup(<StateBadge state="RUNNING" />);
    expect(running).toContain('data-state="RUNNING"');
    expect(running).toContain('Running');
    expect(running).toContain('ant-badge-status-success');
    expect(renderToStaticMarkup(<StateBadge state="FAILED" />)).toContain('ant-badge-status-error');
    await i18n.changeLanguage('zh-CN');
    expect(renderToStaticMarkup(<StateBadge state="RUNNING" />)).toContain('运行中');
    await i18n.changeLanguage('en');
  });
});
