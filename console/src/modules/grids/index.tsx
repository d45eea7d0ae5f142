import type { ConsoleModule } from '../module';
import { GridsPage } from './grids';

export const gridsModule: ConsoleModule = {
  name: 'grids',
  routes: [{ path: '/grids', requires: 'GET /v1/grids', render: () => <GridsPage /> }],
  nav: [{ href: '/grids', order: 50, label: { 'zh-CN': '网格', en: 'Grids' }, requires: 'GET /v1/grids' }],
};
