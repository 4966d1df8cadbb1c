import { Select, Tag, Tooltip } from 'antd';
import { cloneElement, useEffect, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { SpaceAction } from '../../../domain/access/spaces.ts';
import { setPickedSpace, usePickedSpace, useSpaces, useWho } from '../api/spaces.ts';
import { refusal, spacesWhere, startingSpace } from '../models/spaces.ts';

/** The header's choice: all the user's spaces, or one of them (kept in the browser). */
export function SpacePicker() {
  const { t } = useTranslation();
  const spaces = useSpaces().data ?? [];
  const picked = usePickedSpace();
  return (
    <Select<string>
      aria-label={t('spaces.picker')}
      data-testid="space-picker"
      value={picked ?? ''}
      onChange={(v) => setPickedSpace(v === '' ? null : v)}
      options={[
        { value: '', label: t('spaces.all') },
        ...spaces.map((s) => ({ value: s.name, label: s.name })),
      ]}
      style={{ width: 160 }}
      popupMatchSelectWidth={false}
    />
  );
}

/**
 * A create form's space: the spaces where the user may `action` (change; manage for targets),
 * starting with the picked one. `onChange` is called with the starting space once it is known.
 */
export function SpaceSelect({
  value,
  onChange,
  action = 'change',
  testId = 'space-select',
  prefer,
}: {
  value?: string | undefined;
  onChange?: (space: string) => void;
  action?: SpaceAction;
  testId?: string;
  /** Where to start if the user may `action` there (a JAR job: its jar's space), before the picked one. */
  prefer?: string | undefined;
}) {
  const { t } = useTranslation();
  const who = useWho();
  const picked = usePickedSpace();
  const choices = who ? spacesWhere(who, action) : [];
  const start = startingSpace(choices, prefer !== undefined && choices.includes(prefer) ? prefer : picked);
  useEffect(() => {
    if (value === undefined && start !== null) onChange?.(start);
  }, [value, start, onChange]);
  return (
    <Select<string>
      aria-label={t('spaces.space')}
      data-testid={testId}
      value={value ?? start ?? undefined}
      onChange={(v) => onChange?.(v)}
      options={choices.map((s) => ({ value: s, label: s }))}
      style={{ minWidth: 140 }}
    />
  );
}

/** A thing's space in a list or a header; every space's for an engine's local application target. */
export function SpaceTag({ space }: { space: string | null }) {
  const { t } = useTranslation();
  return <Tag data-testid="space-tag">{space ?? t('spaces.everySpace')}</Tag>;
}

/** A list's "Space" column. */
export const spaceColumn = (t: (key: string) => string) => ({
  title: t('spaces.space'),
  dataIndex: 'space' as const,
  render: (space: string | null) => <SpaceTag space={space} />,
});

/**
 * A button offered when the user may do `action` in `space` (null: what is the platform admins' to
 * change: an engine's local application target, a target's quota); else hidden (`hide`) or disabled with the role needed and the user's own there
 * as the reason. Disabled too until who the user is is known.
 */
export function Allowed({
  space,
  action,
  hide = false,
  children,
}: {
  space: string | null | undefined;
  action: SpaceAction;
  hide?: boolean;
  children: ReactElement<{ disabled?: boolean }>;
}) {
  const { t } = useTranslation();
  const who = useWho();
  if (!who || space === undefined) return hide ? null : cloneElement(children, { disabled: true });
  const no = refusal(who, space, action);
  if (!no) return children;
  if (hide) return null;
  const why =
    no.needed === 'admin'
      ? t('spaces.needsAdmin')
      : t('spaces.needs', {
          needed: t(`spaces.role.${no.needed}`),
          space,
          role: no.role ? t(`spaces.role.${no.role}`) : t('spaces.noRole'),
        });
  return (
    <Tooltip title={why}>
      <span data-testid="not-allowed" data-why={why}>
        {cloneElement(children, { disabled: true })}
      </span>
    </Tooltip>
  );
}
