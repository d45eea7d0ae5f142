import type { ConsoleModule } from '../module';
import { ApiKeysPage } from './api-keys';

export const apiKeysModule: ConsoleModule = {
  name: 'api-keys',
  routes: [{ path: '/api-keys', requires: 'GET /v1/api-keys', render: () => <ApiKeysPage /> }],
  nav: [
    {
      href: '/api-keys',
      order: 60,
      label: { 'zh-CN': 'API 密钥', en: 'API keys' },
      requires: 'GET /v1/api-keys',
    },
  ],
};
