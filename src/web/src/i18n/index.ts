import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { formatTime } from '../models/dates.ts';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';
import { lifecycleEn, lifecycleZhCN } from './lifecycle.ts';
import { messagesEn, messagesZhCN } from './messages.ts';
import { workspaceEn, workspaceZhCN } from './workspace.ts';
import { artifactsEn, artifactsZhCN } from './artifacts.ts';
import { channelsEn, channelsZhCN } from './alert-channels.ts';
import { alertRulesEn, alertRulesZhCN } from './alert-rules.ts';
import { jarJobsEn, jarJobsZhCN } from './jar-jobs.ts';
import { kafkaEn, kafkaZhCN } from './kafka.ts';
import { auditEn, auditZhCN } from './audit.ts';
import { profilesEn, profilesZhCN } from './profiles.ts';
import { spacesEn, spacesZhCN } from './spaces.ts';
import { accountEn, accountZhCN } from './account.ts';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem('sluice.language');

void i18n.use(initReactI18next).init({
  resources: {
    en: {
      translation: {
        ...en,
        ...workspaceEn,
        ...channelsEn,
        ...alertRulesEn,
        ...profilesEn,
        ...kafkaEn,
        ...auditEn,
        ...spacesEn,
        ...accountEn,
        ...artifactsEn,
        ...jarJobsEn,
        ...lifecycleEn,
        ...messagesEn,
      },
    },
    'zh-CN': {
      translation: {
        ...zhCN,
        ...workspaceZhCN,
        ...channelsZhCN,
        ...alertRulesZhCN,
        ...profilesZhCN,
        ...kafkaZhCN,
        ...auditZhCN,
        ...spacesZhCN,
        ...accountZhCN,
        ...artifactsZhCN,
        ...jarJobsZhCN,
        ...lifecycleZhCN,
        ...messagesZhCN,
      },
    },
  },
  lng: stored === 'zh-CN' ? 'zh-CN' : 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

export function setLanguage(code: Language): void {
  localStorage.setItem('sluice.language', code);
  void i18n.changeLanguage(code);
}

/** A time as the console's language writes it. */
export const localTime = (at: string | number | Date): string => formatTime(at, i18n.language);
/** A time of day as the console's language writes it. */
export const localClock = (at: string | number | Date): string =>
  new Date(at).toLocaleTimeString(i18n.language);

export default i18n;
