import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';
import { lifecycleEn, lifecycleZhCN } from './lifecycle.ts';
import { workspaceEn, workspaceZhCN } from './workspace.ts';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem('sluice.language');

void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: { ...en, ...workspaceEn, ...lifecycleEn } },
    'zh-CN': { translation: { ...zhCN, ...workspaceZhCN, ...lifecycleZhCN } },
  },
  lng: stored === 'zh-CN' ? 'zh-CN' : 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

export function setLanguage(code: Language): void {
  localStorage.setItem('sluice.language', code);
  void i18n.changeLanguage(code);
}

export default i18n;
