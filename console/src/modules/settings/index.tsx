import type { ConsoleModule } from '../module';
import { SettingsPage } from './settings';

export const settingsModule: ConsoleModule = {
  name: 'settings',
  routes: [{ path: '/settings', requires: 'GET /v1/tenant', render: () => <SettingsPage /> }],
  nav: [
    { href: '/settings', order: 70, label: { 'zh-CN': '设置', en: 'Settings' }, requires: 'GET /v1/tenant' },
  ],
};
