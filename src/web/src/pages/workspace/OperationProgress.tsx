import { Alert, Button, Card, Space, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useOperation, type Operation } from '../../api/engines.ts';
import { InlineError, Loading } from '../../components/Problem.tsx';
import { localClock } from '../../i18n/index.ts';
import { errorText } from '../../models/message-text.ts';

const STATUS_COLOR: Record<Operation['status'], string> = {
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
};

/**
 * A background operation (engine install, cluster start) followed to its end: its progress lines as
 * they come, then success or the error with its message.
 */
export function OperationProgress({
  id,
  title,
  onDone,
  onClose,
}: {
  id: string;
  title?: ReactNode;
  /** Once, when the operation has ended (succeeded or failed). */
  onDone?: (op: Operation) => void;
  onClose?: () => void;
}) {
  const { t } = useTranslation();
  const op = useOperation(id);
  const reported = useRef(false);
  const scroller = useRef<HTMLDivElement>(null);
  const data = op.data;
  const lineCount = data?.lines.length ?? 0;
  useEffect(() => {
    if (data && data.status !== 'running' && !reported.current) {
      reported.current = true;
      onDone?.(data);
    }
  }, [data, onDone]);
  useEffect(() => {
    scroller.current?.scrollTo({ top: scroller.current.scrollHeight });
  }, [lineCount]);

  const close = onClose && (!data || data.status !== 'running') && (
    <Button size="small" onClick={onClose} data-testid="operation-close">
      {t('ws.op.close')}
    </Button>
  );
  if (op.isPending)
    return (
      <Card size="small" title={title}>
        <Loading />
      </Card>
    );
  if (op.isError)
    return (
      <Card size="small" title={title} extra={close}>
        <InlineError error={op.error} />
      </Card>
    );
  const o = op.data;
  const running = o.status === 'running';
  return (
    <Card
      size="small"
      data-testid={`operation-${o.kind}`}
      title={
        <Space>
          {title ?? t(`ws.op.kind.${o.kind}`, { subject: o.subject, defaultValue: `${o.kind} ${o.subject}` })}
          <Tag color={STATUS_COLOR[o.status]} data-testid="operation-status">
            {t(`ws.op.status.${o.status}`)}
          </Tag>
        </Space>
      }
      extra={
        <Space>
          <Typography.Text type="secondary">
            {t('ws.op.startedAt', { at: localClock(o.startedAt) })}
          </Typography.Text>
          {close}
        </Space>
      }
    >
      <div ref={scroller} style={{ maxHeight: 240, overflow: 'auto', paddingTop: 8 }}>
        {o.lines.length || running ? (
          <Timeline
            items={[
              ...o.lines.map((l, i) => ({
                key: i,
                color: 'gray',
                content: (
                  <Space size="small" align="start">
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {localClock(l.at)}
                    </Typography.Text>
                    <Typography.Text style={{ fontSize: 13 }}>{l.text}</Typography.Text>
                  </Space>
                ),
              })),
              ...(running ? [{ key: 'pending', loading: true, content: t('ws.op.working') }] : []),
            ]}
          />
        ) : o.status === 'succeeded' ? (
          <Typography.Text type="secondary">{t('ws.op.noLines')}</Typography.Text>
        ) : null}
      </div>
      {o.status === 'failed' && (
        <Alert
          type="error"
          showIcon
          title={o.error ? errorText(t, o.error) : t('ws.op.failed')}
          data-testid="error-message"
          style={{ marginTop: 8 }}
        />
      )}
      {o.status === 'succeeded' && (
        <Alert type="success" showIcon title={t('ws.op.succeeded')} style={{ marginTop: 8 }} />
      )}
    </Card>
  );
}

const STORAGE_KEY = 'sluice.workspace.operations';

function readStored(): string[] {
  try {
    const v = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Operations started from this tab, kept across page changes and reloads until closed. */
export function useTrackedOperations(): {
  ids: string[];
  track: (id: string) => void;
  forget: (id: string) => void;
} {
  const [ids, setIds] = useState<string[]>(readStored);
  useEffect(() => {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(ids));
  }, [ids]);
  const track = useCallback((id: string) => setIds((xs) => (xs.includes(id) ? xs : [id, ...xs])), []);
  const forget = useCallback((id: string) => setIds((xs) => xs.filter((x) => x !== id)), []);
  return { ids, track, forget };
}
