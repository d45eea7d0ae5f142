import type { Module } from '../../platform/module.js';
import { tenantRoutes } from './routes.js';
import { apiKeyIdPrefix, tenantIdPrefix } from './rules.js';

export const tenantsModule: Module = {
  name: 'tenants',
  http: {
    name: 'tenants',
    entry: 'functions/http/tenants.ts',
    description: 'sign-up, tenant, API keys',
    tableAccess: 'readWrite',
  },
  routes: Object.values(tenantRoutes),
  entities: ['tenant', 'tenant-directory', 'api-key', 'api-key-lookup'],
  keyPrefixes: ['TENANT', 'TENANTS', 'APIKEY'],
  idPrefixes: [tenantIdPrefix, apiKeyIdPrefix],
};
