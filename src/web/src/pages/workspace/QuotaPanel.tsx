import { Button, Descriptions, Form, Input, Progress, Space, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { targetKeys, targetsApi, type TargetQuota } from '../../api/targets.ts';
import { formatAmount, JOB_RANGES, QUOTA_RESOURCES } from '../../../../domain/quotas/quota.ts';
import { FormModal } from '../../components/FormModal.tsx';
import { InlineError, Loading } from '../../components/Problem.tsx';

type Field = (typeof QUOTA_RESOURCES)[number] | (typeof JOB_RANGES)[number];
type QuotaForm = Partial<Record<Field, string>>;

const isSize = (f: Field) => f === 'memory' || f === 'maxTaskManagerMemory';

/**
 * A target's quota: each resource its jobs request per job as a bar of what they hold against the
 * limit (with which jobs), the per-job ranges, and a form that sets them.
 */
export function QuotaPanel({ name }: { name: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: targetKeys.quota(name),
    queryFn: () => targetsApi.quota(name),
    refetchInterval: (s) => (s.state.status === 'error' ? false : 5000),
  });
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<QuotaForm>();
  const save = useMutation({
    mutationFn: (v: QuotaForm) => {
      const body: Record<string, string | number | null> = {};
      for (const [f, text] of Object.entries(v) as [Field, string | undefined][]) {
        const s = (text ?? '').trim();
        body[f] = s === '' ? null : isSize(f) || !Number.isFinite(Number(s)) ? s : Number(s);
      }
      return targetsApi.setQuota(name, body);
    },
    onSuccess: (v) => {
      qc.setQueryData(targetKeys.quota(name), v);
      setOpen(false);
    },
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <InlineError error={q.error} />;
  const v: TargetQuota = q.data;
  const fields: Field[] = [...v.usage.map((u) => u.resource), ...v.ranges];
  const initial: QuotaForm = {};
  for (const u of v.usage) if (u.limit !== null) initial[u.resource] = formatAmount(u.resource, u.limit);
  for (const r of v.ranges) if (v.perJob[r] !== null) initial[r] = formatAmount(r, v.perJob[r]!);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`quota-${name}`}>
      <Space>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('ws.quota.title')}
        </Typography.Title>
        <Typography.Text type="secondary">
          {v.set ? t('ws.quota.setBy', { by: v.updatedBy, at: v.updatedAt }) : t('ws.quota.notSet')}
        </Typography.Text>
        <Button size="small" onClick={() => setOpen(true)} data-testid={`quota-edit-${name}`}>
          {t('ws.quota.edit')}
        </Button>
      </Space>
      {v.usage.map((u) => (
        <div key={u.resource} data-testid={`quota-bar-${u.resource}`}>
          <Typography.Text>
            {t(`ws.quota.resource.${u.resource}`)}:{' '}
            {u.limit === null
              ? t('ws.quota.usedNoLimit', { used: formatAmount(u.resource, u.used) })
              : t('ws.quota.used', {
                  used: formatAmount(u.resource, u.used),
                  limit: formatAmount(u.resource, u.limit),
                })}
            {u.jobs.length > 0 && (
              <Typography.Text type="secondary">
                {' '}
                ({u.jobs.map((j) => `${j.job} ${formatAmount(u.resource, j.amount)}`).join(', ')})
              </Typography.Text>
            )}
          </Typography.Text>
          {u.limit !== null && (
            <Progress
              percent={Math.min(100, Math.round((u.used / u.limit) * 100))}
              status={u.used >= u.limit ? 'exception' : 'normal'}
              size="small"
            />
          )}
        </div>
      ))}
      {v.notPerJob.length > 0 && (
        <Typography.Text type="secondary">
          {t('ws.quota.notPerJob', { resources: v.notPerJob.join(', ') })}
        </Typography.Text>
      )}
      <Descriptions
        size="small"
        column={4}
        items={v.ranges.map((r) => ({
          key: r,
          label: t(`ws.quota.range.${r}`),
          children: v.perJob[r] === null ? t('ws.quota.noLimit') : formatAmount(r, v.perJob[r]!),
        }))}
      />
      <FormModal<QuotaForm>
        name={`quota-${name}`}
        open={open}
        title={t('ws.quota.editTitle', { name })}
        okText={t('ws.quota.save')}
        intro={t('ws.quota.intro')}
        form={form}
        initialValues={initial}
        onFinish={(values) => save.mutate(values)}
        request={save}
        onClose={() => setOpen(false)}
        errorTestId="quota-error"
      >
        {fields.map((f) => (
          <Form.Item
            key={f}
            name={f}
            label={t(QUOTA_RESOURCES.includes(f as never) ? `ws.quota.resource.${f}` : `ws.quota.range.${f}`)}
          >
            <Input placeholder={t('ws.quota.noLimit')} />
          </Form.Item>
        ))}
      </FormModal>
    </Space>
  );
}
