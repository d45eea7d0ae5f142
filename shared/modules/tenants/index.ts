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
    // the API-key lookup items the authorizer reads (written on issue, rotation and revocation;
    // read for the day each key was last used)
    platformAccess: {
      actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem'],
      leadingKeys: ['APIKEY#*'],
    },
  },
  // Sign-up creates a tenant and its first key: platform-level writes no tenant session can make,
  // so it runs in a function of its own with a role that may only create them.
  httpGroups: [
    {
      name: 'signup',
      entry: 'functions/http/signup.ts',
      description: 'sign-up',
      tableAccess: 'none',
      platformAccess: { actions: ['dynamodb:PutItem'], leadingKeys: ['TENANT#*', 'TENANTS', 'APIKEY#*'] },
    },
  ],
  routes: Object.values(tenantRoutes),
  entities: ['tenant', 'tenant-directory', 'api-key', 'api-key-lookup'],
  keyPrefixes: ['TENANT', 'TENANTS', 'APIKEY'],
  idPrefixes: [tenantIdPrefix, apiKeyIdPrefix],
};
