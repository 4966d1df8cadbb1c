import { Alert, App, Button, Drawer, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, SPACE_KINDS, type Role } from '../../../../domain/access/spaces.ts';
import { useAlertRules } from '../../api/alert-rules.ts';
import { useArtifacts } from '../../api/artifacts.ts';
import { useJobs } from '../../api/jobs.ts';
import {
  useCreateSpace,
  useRemoveMember,
  useRemoveSpace,
  useSetFileFolders,
  useSetMember,
  useSpaceFileFolders,
  useSpaceMembers,
  useSpaces,
  useWho,
  type MemberView,
  type SpaceView,
} from '../../api/spaces.ts';
import { useTargets } from '../../api/targets.ts';
import { useCatalogs, useVariables } from '../../api/workspace.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorPanel, Loading, MutationError } from '../../components/Problem.tsx';
import { holdings, mayIn } from '../../models/spaces.ts';
import { DeleteButton } from '../../components/DeleteButton.tsx';

/**
 * The user's spaces (a platform admin: every space) with its role and what each holds; admins create
 * and delete spaces, owners manage members, anyone else sees the members read-only.
 */
export function SpacesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const spaces = useSpaces();
  const who = useWho();
  const held = holdings({
    job: useJobs().data,
    artifact: useArtifacts().data,
    variable: useVariables().data,
    catalog: useCatalogs().data,
    alertRule: useAlertRules().data,
    target: useTargets().data,
  });
  const [creating, setCreating] = useState(false);
  const [newName, setNewName] = useState('');
  const [opened, setOpened] = useState<string | null>(null);
  const create = useCreateSpace();
  const remove = useRemoveSpace();
  if (spaces.isPending || !who) return <Loading />;
  if (spaces.isError) return <ErrorPanel error={spaces.error} retry={() => void spaces.refetch()} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <PageHeader
        title={t('spaces.title')}
        intro={t('spaces.intro')}
        action={
          who.admin ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="space-new"
            >
              {t('spaces.new')}
            </Button>
          ) : (
            <Typography.Text type="secondary" data-testid="spaces-admin-only">
              {t('spaces.adminOnly')}
            </Typography.Text>
          )
        }
      />
      <MutationError mutation={remove} testId="space-error" />
      <Table<SpaceView>
        rowKey="name"
        data-testid="spaces-table"
        dataSource={spaces.data}
        pagination={false}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          {
            title: t('spaces.yourRole'),
            dataIndex: 'role',
            render: (role: Role | null) => (
              <Tag data-testid="space-role">
                {role ? t(`spaces.role.${role}`) : who.admin ? t('spaces.noRoleAdmin') : t('spaces.noRole')}
              </Tag>
            ),
          },
          {
            title: t('spaces.holds'),
            render: (_, s) => {
              const h = held.get(s.name) ?? {};
              const parts = SPACE_KINDS.filter((k) => h[k]).map((k) => `${h[k]} ${t(`spaces.kind.${k}`)}`);
              return (
                <span data-testid="space-holds">
                  {parts.length ? parts.join(', ') : t('spaces.holdsNothing')}
                </span>
              );
            },
          },
          { title: t('spaces.createdBy'), dataIndex: 'createdBy' },
          {
            title: '',
            render: (_, s) => (
              <Space>
                <Button
                  size="small"
                  onClick={() => setOpened(s.name)}
                  data-testid={`space-members-${s.name}`}
                >
                  {t('spaces.membersButton')}
                </Button>
                {who.admin && (
                  <DeleteButton
                    confirm={t('spaces.deleteConfirm', { name: s.name })}
                    confirmId="confirm-space-delete"
                    label={t('spaces.delete')}
                    testId={`space-delete-${s.name}`}
                    onConfirm={() =>
                      remove.mutate(s.name, {
                        onSuccess: () => void message.success(t('spaces.deleted', { name: s.name })),
                      })
                    }
                  />
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('spaces.new')}
        okButtonProps={{ id: 'confirm-space-new', loading: create.isPending }}
        onCancel={() => setCreating(false)}
        onOk={() =>
          create.mutate(newName.trim(), {
            onSuccess: (s) => {
              void message.success(t('spaces.created', { name: s.name }));
              setCreating(false);
              setNewName('');
            },
          })
        }
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input
            aria-label={t('spaces.name')}
            placeholder={t('spaces.nameHint')}
            value={newName}
            onChange={(e) => setNewName(e.target.value)}
            data-testid="space-name"
          />
          <MutationError mutation={create} testId="space-new-error" inForm />
        </Space>
      </Modal>
      <Drawer
        open={opened !== null}
        title={opened ? t('spaces.drawerTitle', { name: opened }) : ''}
        size="large"
        onClose={() => setOpened(null)}
        destroyOnHidden
      >
        {opened && (
          <Space orientation="vertical" style={{ width: '100%' }} size="large">
            <FileFolders space={opened} admin={who.admin} />
            <Members space={opened} manage={mayIn(who, opened, 'manage')} />
          </Space>
        )}
      </Drawer>
    </Space>
  );
}

/** The folders a space's job SQL may name files in: shown to its members, changed by platform admins. */
function FileFolders({ space, admin }: { space: string; admin: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const folders = useSpaceFileFolders(space);
  const set = useSetFileFolders();
  const [draft, setDraft] = useState<string | null>(null);
  if (folders.isPending) return <Loading />;
  if (folders.isError) return <ErrorPanel error={folders.error} retry={() => void folders.refetch()} />;
  const f = folders.data;
  const save = (list: string[] | null) =>
    set.mutate(
      { space, folders: list },
      {
        onSuccess: () => {
          setDraft(null);
          void folders.refetch();
          void message.success(t('spaces.fileFoldersSaved', { space }));
        },
      },
    );
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="space-file-folders">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('spaces.fileFolders')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('spaces.fileFoldersHelp')}</Typography.Text>
      <Space wrap>
        {f.folders.length ? (
          f.folders.map((d) => (
            <Tag key={d} data-testid="space-file-folder">
              {d}
            </Tag>
          ))
        ) : (
          <Typography.Text type="secondary">{t('spaces.fileFoldersNone')}</Typography.Text>
        )}
        {!f.set && <Tag color="blue">{t('spaces.fileFoldersDefault')}</Tag>}
      </Space>
      {f.shared.length > 0 && (
        <Typography.Text type="secondary" data-testid="space-file-folders-shared">
          {t('spaces.fileFoldersShared', { folders: f.shared.join(', ') })}
        </Typography.Text>
      )}
      <MutationError mutation={set} testId="space-file-folders-error" inForm />
      {admin && (
        <>
          <Input.TextArea
            aria-label={t('spaces.fileFoldersEdit')}
            placeholder={t('spaces.fileFoldersEdit')}
            autoSize={{ minRows: 2 }}
            value={draft ?? f.folders.join('\n')}
            onChange={(e) => setDraft(e.target.value)}
            data-testid="space-file-folders-edit"
          />
          <Space>
            <Button
              type="primary"
              loading={set.isPending}
              data-testid="space-file-folders-save"
              onClick={() =>
                save(
                  (draft ?? f.folders.join('\n'))
                    .split('\n')
                    .map((l) => l.trim())
                    .filter(Boolean),
                )
              }
            >
              {t('spaces.fileFoldersSave')}
            </Button>
            {f.set && (
              <Button data-testid="space-file-folders-clear" onClick={() => save(null)}>
                {t('spaces.fileFoldersClear')}
              </Button>
            )}
          </Space>
        </>
      )}
    </Space>
  );
}

const roleOptions = (t: (k: string) => string) =>
  ROLES.map((r) => ({ value: r, label: t(`spaces.role.${r}`) }));

/** A space's members: changed by its owners (and platform admins), read-only to anyone else. */
function Members({ space, manage }: { space: string; manage: boolean }) {
  const { t } = useTranslation();
  const members = useSpaceMembers(space);
  const set = useSetMember();
  const remove = useRemoveMember();
  const [form] = Form.useForm<{ user: string; role: Role }>();
  if (members.isPending) return <Loading />;
  if (members.isError) return <ErrorPanel error={members.error} retry={() => void members.refetch()} />;
  const failed = set.error ?? remove.error;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      {!manage && (
        <Alert type="info" showIcon title={t('spaces.readOnly', { space })} data-testid="members-read-only" />
      )}
      {failed && <Alert type="error" showIcon title={failed.message} data-testid="member-error" />}
      {manage && (
        <Form
          form={form}
          layout="inline"
          initialValues={{ role: 'developer' }}
          onFinish={(v) =>
            set.mutate({ space, user: v.user.trim(), role: v.role }, { onSuccess: () => form.resetFields() })
          }
        >
          <Form.Item name="user" rules={[{ required: true, message: t('spaces.user') }]}>
            <Input placeholder={t('spaces.user')} aria-label={t('spaces.user')} data-testid="member-user" />
          </Form.Item>
          <Form.Item name="role">
            <Select
              aria-label={t('spaces.role')}
              options={roleOptions(t)}
              style={{ width: 130 }}
              data-testid="member-role"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={set.isPending} data-testid="member-add">
            {t('spaces.addMember')}
          </Button>
        </Form>
      )}
      <Table<MemberView>
        rowKey="user"
        data-testid="members-table"
        dataSource={members.data}
        pagination={false}
        columns={[
          { title: t('spaces.user'), dataIndex: 'user' },
          {
            title: t('spaces.role'),
            dataIndex: 'role',
            render: (role: Role, m) =>
              manage ? (
                <Select<Role>
                  size="small"
                  value={role}
                  aria-label={t('spaces.role')}
                  data-testid={`member-role-${m.user}`}
                  options={roleOptions(t)}
                  onChange={(r) => set.mutate({ space, user: m.user, role: r })}
                  style={{ width: 130 }}
                />
              ) : (
                <Tag data-testid={`member-role-${m.user}`}>{t(`spaces.role.${role}`)}</Tag>
              ),
          },
          ...(manage
            ? [
                {
                  title: '',
                  render: (_: unknown, m: MemberView) => (
                    <DeleteButton
                      confirm={t('spaces.removeMemberConfirm', { user: m.user, space })}
                      label={t('spaces.removeMember')}
                      testId={`member-remove-${m.user}`}
                      onConfirm={() => remove.mutate({ space, user: m.user })}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}
