import { describe, expect, it } from 'vitest';
import { message, renderMessage } from '../../../domain/messages.ts';
import i18n from '../i18n/index.ts';
import { messageText } from './message-text.ts';

describe('server messages in the console', () => {
  const reason = message('tracker.answersAgain', {
    reason: message('lifecycle.failedAtStep', { kind: 'start', step: 'plan', cause: 'Column not found' }),
    cluster: 'local-1.20',
  });

  it('says a nested message in English as the server does', () => {
    expect(messageText(i18n.getFixedT('en'), reason)).toBe(renderMessage(reason));
  });

  it("says it in Chinese with the platform's words translated and Flink's words kept", () => {
    expect(messageText(i18n.getFixedT('zh-CN'), reason)).toBe(
      '启动在步骤「生成执行计划」失败：Column not found（集群 local-1.20 恢复应答）',
    );
    expect(
      messageText(
        i18n.getFixedT('zh-CN'),
        message('command.refused', {
          command: 'delete',
          job: 'orders',
          why: message('command.stopFirst', { state: 'RUNNING' }),
        }),
      ),
    ).toBe('无法删除作业 orders：作业处于运行中：请先停止或取消，再删除');
  });
});
