import { Button, Descriptions, Form, Input, Progress, Space, Typography } from 'antd';
import { Allowed } from '../../components/Spaces.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { quotaKeys, quotasApi, type QuotaOf, type QuotaScope } from '../../api/quotas.ts';
import { formatAmount, JOB_RANGES, QUOTA_RESOURCES } from '../../../../domain/quotas/quota.ts';
import { FormModal } from '../../components/FormModal.tsx';
import { InlineError, Loading } from '../../components/Problem.tsx';

type Field = (typeof QUOTA_RESOURCES)[number] | (typeof JOB_RANGES)[number];
type QuotaForm = Partial<Record<Field, string>>;

const isSize = (f: Field) => f === 'memory' || f === 'maxTaskManagerMemory';

/** What differs between a target's quota and a space's: the ranges and what its kind does not request. */
const rangesOf = (v: QuotaOf) =>
  'ranges' in v ? { ranges: v.ranges, perJob: v.perJob, notPerJob: v.notPerJob } : null;

/**
 * A quota, of a target or of a space: each resource its jobs request as a bar of what they hold
 * against the limit (with which jobs), a target's per-job ranges, and a form that sets them.
 */
export function QuotaPanel({ scope }: { scope: QuotaScope }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const name = scope.name;
  // A target's panel keeps its test ids; a space's are named apart, as both can be on one page.
  const id = scope.kind === 'target' ? name : `space-${name}`;
  const q = useQuery({
    queryKey: quotaKeys.of(scope),
    queryFn: () => quotasApi.get(scope),
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
      return quotasApi.set(scope, body);
    },
    onSuccess: (v) => {
      qc.setQueryData(quotaKeys.of(scope), v);
      setOpen(false);
    },
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <InlineError error={q.error} />;
  const v: QuotaOf = q.data;
  const r = rangesOf(v);
  const fields: Field[] = [...v.usage.map((u) => u.resource), ...(r?.ranges ?? [])];
  const initial: QuotaForm = {};
  for (const u of v.usage) if (u.limit !== null) initial[u.resource] = formatAmount(u.resource, u.limit);
  for (const k of r?.ranges ?? []) if (r!.perJob[k] !== null) initial[k] = formatAmount(k, r!.perJob[k]!);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`quota-${id}`}>
      <Space>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {scope.kind === 'target' ? t('ws.quota.title') : t('ws.quota.spaceTitle', { name })}
        </Typography.Title>
        <Typography.Text type="secondary">
          {v.set ? t('ws.quota.setBy', { by: v.updatedBy, at: v.updatedAt }) : t('ws.quota.notSet')}
        </Typography.Text>
        {/* A space's owners set its quota; a target's is the platform admins' (space null). */}
        <Allowed space={scope.kind === 'space' ? scope.name : null} action="manage">
          <Button size="small" onClick={() => setOpen(true)} data-testid={`quota-edit-${id}`}>
            {t('ws.quota.edit')}
          </Button>
        </Allowed>
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
      {r && r.notPerJob.length > 0 && (
        <Typography.Text type="secondary">
          {t('ws.quota.notPerJob', { resources: r.notPerJob.join(', ') })}
        </Typography.Text>
      )}
      {r && (
        <Descriptions
          size="small"
          column={4}
          items={r.ranges.map((k) => ({
            key: k,
            label: t(`ws.quota.range.${k}`),
            children: r.perJob[k] === null ? t('ws.quota.noLimit') : formatAmount(k, r.perJob[k]!),
          }))}
        />
      )}
      <FormModal<QuotaForm>
        name={`quota-${id}`}
        open={open}
        title={
          scope.kind === 'target' ? t('ws.quota.editTitle', { name }) : t('ws.quota.editSpaceTitle', { name })
        }
        okText={t('ws.quota.save')}
        intro={scope.kind === 'target' ? t('ws.quota.intro') : t('ws.quota.spaceIntro')}
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
