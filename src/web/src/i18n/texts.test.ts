import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { lifecycleEn, lifecycleZhCN } from './lifecycle.ts';
import { messagesEn, messagesZhCN } from './messages.ts';
import { workspaceEn, workspaceZhCN } from './workspace.ts';
import { artifactsEn, artifactsZhCN } from './artifacts.ts';
import { jarJobsEn, jarJobsZhCN } from './jar-jobs.ts';
import { channelsEn, channelsZhCN } from './alert-channels.ts';
import { alertRulesEn, alertRulesZhCN } from './alert-rules.ts';
import { kafkaEn, kafkaZhCN } from './kafka.ts';
import { auditEn, auditZhCN } from './audit.ts';
import { profilesEn, profilesZhCN } from './profiles.ts';
import { spacesEn, spacesZhCN } from './spaces.ts';
import { accountEn, accountZhCN } from './account.ts';
import { zhCN } from './zh-CN.ts';

describe('console texts', () => {
  it('has every English key in Chinese too, and no empty text', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(workspaceZhCN).sort()).toEqual(Object.keys(workspaceEn).sort());
    expect(Object.keys(lifecycleZhCN).sort()).toEqual(Object.keys(lifecycleEn).sort());
    expect(Object.keys(jarJobsZhCN).sort()).toEqual(Object.keys(jarJobsEn).sort());
    expect(Object.keys(channelsZhCN).sort()).toEqual(Object.keys(channelsEn).sort());
    expect(Object.keys(alertRulesZhCN).sort()).toEqual(Object.keys(alertRulesEn).sort());
    expect(Object.keys(kafkaZhCN).sort()).toEqual(Object.keys(kafkaEn).sort());
    expect(Object.keys(auditZhCN).sort()).toEqual(Object.keys(auditEn).sort());
    expect(Object.keys(profilesZhCN).sort()).toEqual(Object.keys(profilesEn).sort());
    expect(Object.keys(spacesZhCN).sort()).toEqual(Object.keys(spacesEn).sort());
    expect(Object.keys(accountZhCN).sort()).toEqual(Object.keys(accountEn).sort());
    for (const v of [
      ...Object.values(jarJobsZhCN),
      ...Object.values(channelsZhCN),
      ...Object.values(alertRulesZhCN),
      ...Object.values(kafkaZhCN),
      ...Object.values(auditZhCN),
      ...Object.values(profilesZhCN),
      ...Object.values(spacesZhCN),
      ...Object.values(accountZhCN),
      ...Object.values(zhCN),
      ...Object.values(workspaceZhCN),
      ...Object.values(lifecycleZhCN),
    ])
      expect(v.trim()).not.toBe('');
  });

  it('keeps the same placeholders in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [k, v] of Object.entries(en))
      expect(placeholders(zhCN[k as keyof typeof en])).toEqual(placeholders(v));
    for (const [k, v] of Object.entries(lifecycleEn))
      expect(placeholders(lifecycleZhCN[k as keyof typeof lifecycleEn])).toEqual(placeholders(v));
    for (const [k, v] of Object.entries(jarJobsEn))
      expect(placeholders(jarJobsZhCN[k as keyof typeof jarJobsEn]), k).toEqual(placeholders(v));
    for (const [k, v] of Object.entries(channelsEn))
      expect(placeholders(channelsZhCN[k]!), k).toEqual(placeholders(v));
    for (const [k, v] of Object.entries(alertRulesEn))
      expect(placeholders(alertRulesZhCN[k]!), k).toEqual(placeholders(v));
    for (const [k, v] of Object.entries(kafkaEn))
      expect(placeholders(kafkaZhCN[k]!), k).toEqual(placeholders(v));
    for (const [k, v] of Object.entries(spacesEn))
      expect(placeholders(spacesZhCN[k]!), k).toEqual(placeholders(v));
    for (const [k, v] of Object.entries(accountEn))
      expect(placeholders(accountZhCN[k]!), k).toEqual(placeholders(v));
    for (const [k, v] of Object.entries(auditEn))
      expect(placeholders(auditZhCN[k]!), k).toEqual(placeholders(v));
    for (const [k, v] of Object.entries(artifactsEn))
      expect(placeholders(artifactsZhCN[k as keyof typeof artifactsEn]), k).toEqual(placeholders(v));
    // The server's messages: every code in Chinese, with the parameters the server fills.
    expect(Object.keys(messagesZhCN).sort()).toEqual(Object.keys(messagesEn).sort());
    for (const [k, v] of Object.entries(messagesEn))
      expect(placeholders(messagesZhCN[k]!), k).toEqual(placeholders(v));
  });
});
