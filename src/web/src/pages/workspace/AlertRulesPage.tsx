import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Empty, Form, Input, InputNumber, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ALERT_RULE_KINDS,
  ALERT_SEVERITIES,
  type AlertRuleKind,
} from '../../../../domain/alerts/alert-rules.ts';
import { ApiError } from '../../api/http.ts';
import { useAlertChannels } from '../../api/alert-channels.ts';
import { alertRuleKeys, alertRulesApi, useAlertRules, type AlertRuleView } from '../../api/alert-rules.ts';
import { jobKeys, useJobs } from '../../api/jobs.ts';
import { EditDeleteButtons } from '../../components/DeleteButton.tsx';
import { FormModal } from '../../components/FormModal.tsx';
import { ListPage } from '../../components/PageHeader.tsx';
import { useInPicked, useMayCreate, useMayIn } from '../../api/spaces.ts';
import { SpaceSelect, spaceColumn } from '../../components/Spaces.tsx';
import { ErrorPanel, Loading } from '../../components/Problem.tsx';
import {
  refusedRuleField,
  ruleFormOf,
  ruleFormValues,
  ruleInput,
  thresholdText,
  type RuleFormValues,
} from '../../models/alert-rules.ts';

export const SEVERITY_COLOR = { critical: 'red', warning: 'orange', info: 'blue' } as const;

/** The columns every list of rules shows: kind, its job or its whole space, threshold with its unit, for, severity, channel. */
export function useRuleColumns() {
  const { t } = useTranslation();
  const unit = (kind: string) => t(`ar.unit.${kind}`);
  return [
    { title: t('common.name'), dataIndex: 'name', key: 'name' },
    { title: t('ar.kind'), dataIndex: 'kind', key: 'kind', render: (k: string) => <Tag>{k}</Tag> },
    {
      title: t('ar.job'),
      key: 'job',
      render: (_: unknown, r: AlertRuleView) =>
        r.job ?? <span data-testid="rule-all-jobs">{t('ar.wholeSpace', { space: r.space })}</span>,
    },
    {
      title: t('ar.threshold'),
      key: 'threshold',
      render: (_: unknown, r: AlertRuleView) => thresholdText(r, unit) ?? '—',
    },
    { title: t('ar.for'), dataIndex: 'for', key: 'for' },
    {
      title: t('ar.severity'),
      dataIndex: 'severity',
      key: 'severity',
      render: (s: AlertRuleView['severity']) => <Tag color={SEVERITY_COLOR[s]}>{t(`ar.severity.${s}`)}</Tag>,
    },
    { title: t('ar.channel'), dataIndex: 'channel', key: 'channel' },
  ];
}

/** Alert rules: list, add or edit (the fields the kind takes), delete. */
export function AlertRulesPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const rules = useAlertRules();
  const shown = useInPicked(rules.data);
  const mayIn = useMayIn();
  const mayCreate = useMayCreate();
  const columns = useRuleColumns();
  const [editing, setEditing] = useState<AlertRuleView | 'new' | null>(null);
  const remove = useMutation({
    mutationFn: alertRulesApi.removeRule,
    onSuccess: (_, name) => void message.success(t('ar.deleted', { name })),
    onError: (e, name) => void modal.error({ title: t('ar.deleteFailed', { name }), content: e.message }),
    onSettled: () => qc.invalidateQueries({ queryKey: alertRuleKeys.all }),
  });

  let body;
  if (rules.isPending) body = <Loading />;
  else if (rules.isError) body = <ErrorPanel error={rules.error} retry={() => void rules.refetch()} />;
  else if (!shown.length) body = <Empty description={t('ar.empty')} data-testid="rules-empty" />;
  else
    body = (
      <Table<AlertRuleView & { space: string }>
        rowKey="name"
        dataSource={shown}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          ...columns,
          spaceColumn(t),
          {
            title: t('ws.actions'),
            key: 'actions',
            render: (_, r) =>
              mayIn(r.space, 'change') && (
                <EditDeleteButtons
                  name={r.name}
                  onEdit={() => setEditing(r)}
                  confirm={t('ar.confirmDelete', { name: r.name })}
                  remove={remove}
                  testIdPrefix="rule"
                />
              ),
          },
        ]}
      />
    );

  return (
    <ListPage
      title={t('ar.title')}
      intro={t('ar.intro')}
      newLabel={t('ar.new')}
      newTestId="rule-new"
      onNew={mayCreate ? () => setEditing('new') : undefined}
    >
      {body}
      <RuleForm
        open={editing !== null}
        rule={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
      />
    </ListPage>
  );
}

function RuleForm({
  open,
  rule,
  onClose,
}: {
  open: boolean;
  rule: AlertRuleView | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<RuleFormValues & { space?: string }>();
  const jobs = useJobs();
  const channels = useAlertChannels();
  const kind: AlertRuleKind = Form.useWatch('kind', form) ?? ruleFormValues(rule).kind;
  const takes = ruleFormOf(kind);
  // A refusal about one field is shown at that field, not again above the form.
  const [atField, setAtField] = useState(false);
  const save = useMutation({
    // A new rule's space; an existing one stays where it is.
    mutationFn: (v: RuleFormValues & { space?: string }) =>
      alertRulesApi.putRule(v.name.trim(), { ...ruleInput(v), ...(v.space ? { space: v.space } : {}) }),
    onMutate: () => setAtField(false),
    onSuccess: (r) => {
      void message.success(t('ar.saved', { name: r.name }));
      void qc.invalidateQueries({ queryKey: alertRuleKeys.all });
      if (r.job) void qc.invalidateQueries({ queryKey: jobKeys.part(r.job, 'alerts') });
      onClose();
    },
    onError: (e) => {
      const field = e instanceof ApiError ? refusedRuleField(e.details) : null;
      if (!field) return;
      setAtField(true);
      form.setFields([{ name: field, errors: [e.message] }]);
    },
  });
  const required = [{ required: true, message: t('ar.required') }];
  return (
    <FormModal
      name="rule"
      open={open}
      title={rule ? t('ar.editTitle', { name: rule.name }) : t('ar.new')}
      okText={t('common.save')}
      width={640}
      form={form}
      initialValues={ruleFormValues(rule)}
      onFinish={(v) => save.mutate(v)}
      request={{ ...save, error: atField ? null : save.error }}
      onClose={onClose}
      errorTestId="rule-save-error"
    >
      <Form.Item
        name="name"
        label={t('common.name')}
        extra={t('ar.nameHelp')}
        rules={[
          ...required,
          { pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, message: t('ar.nameInvalid') },
        ]}
      >
        <Input disabled={!!rule} placeholder="orders-failed" data-testid="rule-name" />
      </Form.Item>
      <Form.Item name="kind" label={t('ar.kind')}>
        <Select
          data-testid="rule-kind"
          options={ALERT_RULE_KINDS.map((k) => ({ value: k, label: t(`ar.kind.${k}`) }))}
          // The threshold typed for one kind means nothing for another.
          onChange={() => form.setFieldValue('threshold', null)}
        />
      </Form.Item>
      <Form.Item name="space" label={t('ar.space')} extra={t('ar.spaceHelp')}>
        {rule ? (
          // An existing rule stays in its space.
          <Select
            data-testid="rule-space"
            disabled
            style={{ width: 240 }}
            options={[{ value: rule.space, label: rule.space }]}
          />
        ) : (
          // A new one is made where the user may change things.
          <SpaceSelect testId="rule-space" />
        )}
      </Form.Item>
      <Form.Item name="job" label={t('ar.job')}>
        <Select
          data-testid="rule-job"
          showSearch
          options={[
            { value: '', label: t('ar.allJobs') },
            ...(jobs.data ?? []).map((j) => ({ value: j.name, label: j.name })),
          ]}
        />
      </Form.Item>
      {takes.threshold && (
        <Form.Item
          name="threshold"
          label={t('ar.threshold')}
          rules={
            takes.threshold.required ? [{ required: true, message: t('ar.thresholdRequired', { kind }) }] : []
          }
          extra={
            takes.threshold.default === null
              ? undefined
              : t('ar.thresholdDefault', { value: takes.threshold.default })
          }
        >
          <InputNumber
            min={0}
            style={{ width: 240 }}
            addonAfter={<span data-testid="rule-threshold-unit">{t(`ar.unit.${kind}`)}</span>}
            data-testid="rule-threshold"
          />
        </Form.Item>
      )}
      <Form.Item
        name="for"
        label={t('ar.for')}
        extra={t(takes.forIs === 'window' ? 'ar.forWindow' : 'ar.forHold', { value: takes.forDefault })}
      >
        <Input placeholder={takes.forDefault} style={{ width: 240 }} data-testid="rule-for" />
      </Form.Item>
      <Form.Item name="severity" label={t('ar.severity')}>
        <Select
          data-testid="rule-severity"
          style={{ width: 240 }}
          options={ALERT_SEVERITIES.map((s) => ({ value: s, label: t(`ar.severity.${s}`) }))}
        />
      </Form.Item>
      <Form.Item
        name="channel"
        label={t('ar.channel')}
        rules={required}
        extra={channels.data && !channels.data.length ? t('ar.noChannel') : undefined}
      >
        <Select
          data-testid="rule-channel"
          options={(channels.data ?? []).map((c) => ({ value: c.name, label: `${c.name} (${c.type})` }))}
        />
      </Form.Item>
    </FormModal>
  );
}
