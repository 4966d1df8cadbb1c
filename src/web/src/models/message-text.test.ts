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

  it('says an error of another area in Chinese, its field and references as the user wrote them', () => {
    const undefinedVariable = message('invalid.field', {
      field: 'sql',
      problem: message('variable.undefined', {
        name: 'kafka_brokers',
        place: message('variable.atLine', { line: 3, column: 12 }),
      }),
    });
    expect(renderMessage(undefinedVariable)).toBe(
      'sql: variable ${kafka_brokers} at line 3, column 12 is not defined: define it with `sluice variable set kafka_brokers <value>`',
    );
    expect(messageText(i18n.getFixedT('zh-CN'), undefinedVariable)).toBe(
      'sql：变量 ${kafka_brokers}（第 3 行第 12 列）未定义：用 `sluice variable set kafka_brokers <value>` 定义',
    );
  });

  it("says a submission's failure with the step in Chinese and Flink's cause as Flink wrote it", () => {
    const failure = message('submission.stepFailed', {
      step: 'wait until running',
      cause: message('submission.noSlots', {
        waited: message('submission.still', { flinkState: 'CREATED', seconds: 90 }),
        cause: 'NoResourceAvailableException: Could not acquire the minimum required resources.',
      }),
    });
    expect(renderMessage(failure)).toBe(
      'step "wait until running" failed: the Flink job is still CREATED after 90 s: not enough free slots: NoResourceAvailableException: Could not acquire the minimum required resources.',
    );
    expect(messageText(i18n.getFixedT('zh-CN'), failure)).toBe(
      '步骤「等待运行」失败：90 秒后 Flink 作业仍为 CREATED：空闲 Slot 不足：NoResourceAvailableException: Could not acquire the minimum required resources.',
    );
  });
});
