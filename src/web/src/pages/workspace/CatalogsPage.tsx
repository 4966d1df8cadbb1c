import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EditDeleteButtons } from '../../components/DeleteButton.tsx';
import { ListPage, updatedAtColumn } from '../../components/PageHeader.tsx';
import { useCatalogs, workspaceApi, workspaceKeys, type CatalogDefinition } from '../../api/workspace.ts';
import { ErrorPanel, Loading } from '../../components/Problem.tsx';
import { CatalogBrowser } from './CatalogBrowser.tsx';
import { CatalogForm } from './CatalogForm.tsx';
import { useInPicked, useMayCreate, useMayIn } from '../../api/spaces.ts';
import { spaceColumn } from '../../components/Spaces.tsx';

/** Catalog definitions of the workspace: define, change, delete, and browse what the engine sees. */
export function CatalogsPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const catalogs = useCatalogs();
  const shown = useInPicked(catalogs.data);
  const mayIn = useMayIn();
  const mayCreate = useMayCreate();
  const [editing, setEditing] = useState<CatalogDefinition | 'new' | null>(null);
  const [browsing, setBrowsing] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: workspaceApi.deleteCatalog,
    onSuccess: (_, name) => {
      void message.success(t('ws.catalogs.deleted', { name }));
      if (browsing === name) setBrowsing(null);
    },
    // 409 while jobs use it: the server says which.
    onError: (e, name) =>
      void modal.error({ title: t('ws.catalogs.deleteFailed', { name }), content: e.message }),
    onSettled: () => qc.invalidateQueries({ queryKey: workspaceKeys.catalogs }),
  });

  let body;
  if (catalogs.isPending) body = <Loading />;
  else if (catalogs.isError)
    body = <ErrorPanel error={catalogs.error} retry={() => void catalogs.refetch()} />;
  else if (!shown.length)
    body = (
      <Empty description={t('ws.catalogs.empty')} data-testid="catalogs-empty">
        {mayCreate && (
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('ws.catalogs.new')}
          </Button>
        )}
      </Empty>
    );
  else
    body = (
      <Table<CatalogDefinition & { space: string }>
        rowKey="name"
        dataSource={shown}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        rowClassName={(c) => (c.name === browsing ? 'ant-table-row-selected' : '')}
        columns={[
          {
            title: t('common.name'),
            dataIndex: 'name',
            render: (n: string) => <Typography.Text strong>{n}</Typography.Text>,
            sorter: (a, b) => a.name.localeCompare(b.name),
          },
          {
            title: t('ws.catalogs.type'),
            dataIndex: 'type',
            render: (v: string) => <Tag color="blue">{v}</Tag>,
          },
          {
            title: t('ws.catalogs.options'),
            render: (_, c) => {
              const entries = Object.entries(c.options);
              if (!entries.length) return <Typography.Text type="secondary">—</Typography.Text>;
              return (
                <Space orientation="vertical" size={0}>
                  {entries.slice(0, 4).map(([k, v]) => (
                    <Typography.Text
                      key={k}
                      code
                      style={{ fontSize: 12 }}
                      ellipsis={{ tooltip: `${k} = ${v}` }}
                    >
                      {k} = {v}
                    </Typography.Text>
                  ))}
                  {entries.length > 4 && (
                    <Tooltip
                      title={entries.slice(4).map(([k, v]) => (
                        <div key={k}>{`${k} = ${v}`}</div>
                      ))}
                    >
                      <Typography.Text type="secondary">
                        {t('ws.catalogs.moreOptions', { n: entries.length - 4 })}
                      </Typography.Text>
                    </Tooltip>
                  )}
                </Space>
              );
            },
          },
          spaceColumn(t),
          { title: t('ws.description'), dataIndex: 'description' },
          updatedAtColumn(t),
          {
            title: t('ws.actions'),
            render: (_, c) => (
              <Space>
                <Button
                  size="small"
                  type="primary"
                  ghost
                  onClick={() => setBrowsing(c.name)}
                  data-testid="catalog-browse"
                >
                  {t('ws.catalogs.browse')}
                </Button>
                {mayIn(c.space, 'change') && (
                  <EditDeleteButtons
                    name={c.name}
                    onEdit={() => setEditing(c)}
                    confirm={t('ws.catalogs.confirmDelete', { name: c.name })}
                    remove={remove}
                    testIdPrefix="catalog"
                  />
                )}
              </Space>
            ),
          },
        ]}
      />
    );

  return (
    <ListPage
      title={t('ws.catalogs.title')}
      intro={t('ws.catalogs.intro')}
      newLabel={t('ws.catalogs.new')}
      newTestId="catalog-new"
      onNew={mayCreate ? () => setEditing('new') : undefined}
    >
      {body}
      {browsing && <CatalogBrowser key={browsing} catalog={browsing} onClose={() => setBrowsing(null)} />}
      <CatalogForm
        open={editing !== null}
        catalog={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
      />
    </ListPage>
  );
}
