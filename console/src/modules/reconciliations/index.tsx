import type { ConsoleModule } from '../module';
import { ReconciliationsPage } from './reconciliations';

export const reconciliationsModule: ConsoleModule = {
  name: 'reconciliations',
  routes: [
    { path: '/reconciliations', requires: 'GET /v1/reconciliations', render: () => <ReconciliationsPage /> },
  ],
  nav: [
    {
      href: '/reconciliations',
      order: 80,
      label: { 'zh-CN': '核对记录', en: 'Reconciliation' },
      requires: 'GET /v1/reconciliations',
    },
  ],
};
