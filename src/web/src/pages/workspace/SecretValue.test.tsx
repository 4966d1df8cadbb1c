import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { message } from '../../../../domain/messages.ts';
import type { Variable } from '../../api/workspace.ts';
import i18n from '../../i18n/index.ts';
import { SecretValue } from './SecretValue.tsx';

const secret = (warningMessage: Variable['warningMessage']): Variable => ({
  name: 'pg_password',
  value: null,
  secret: true,
  description: '',
  warning: null,
  warningMessage,
  createdAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T00:00:00Z',
});

describe('SecretValue', () => {
  it('says why a secret saved before the rule is weak, in the chosen language, and never a value', async () => {
    const weak = message('variable.secretWeak', {
      name: 'pg_password',
      why: message('secret.tooShort', { length: 3, min: 6 }),
    });
    await i18n.changeLanguage('en');
    const en = renderToStaticMarkup(<SecretValue variable={secret(weak)} />);
    expect(en).toContain('data-testid="weak-pg_password"');
    expect(en).toContain('secret pg_password is weak: it has 3 characters, fewer than 6;');
    await i18n.changeLanguage('zh-CN');
    expect(renderToStaticMarkup(<SecretValue variable={secret(weak)} />)).toContain(
      '机密变量 pg_password 强度不足：它只有 3 个字符，少于 6 个',
    );
    await i18n.changeLanguage('en');
    const strong = renderToStaticMarkup(<SecretValue variable={secret(null)} />);
    expect(strong).not.toContain('weak-');
    expect(strong).toContain('••••');
  });
});
