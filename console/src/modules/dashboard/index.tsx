import type { ConsoleModule } from '../module';
import { DashboardPage } from './dashboard';

export const dashboardModule: ConsoleModule = {
  name: 'dashboard',
  routes: [{ path: '/', requires: 'GET /v1/stats', render: () => <DashboardPage /> }],
  nav: [{ href: '/', order: 10, label: { 'zh-CN': '概览', en: 'Dashboard' }, requires: 'GET /v1/stats' }],
};
