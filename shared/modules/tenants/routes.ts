import { adminOnly, anyRole } from '../../platform/access/roles.js';
import { declareRoute } from '../../platform/http/route.js';
import {
  apiKeyBody,
  apiKeyListResponse,
  issuedApiKeyResponse,
  settingsBody,
  signupBody,
  signupResponse,
  tenantResponse,
} from './schemas.js';

/** The tenants module's routes: sign-up, the tenant and its settings, API keys. */
export const tenantRoutes = {
  signup: declareRoute({
    method: 'POST',
    path: '/v1/signup',
    access: 'public',
    group: 'signup',
    budget: 1,
    summary: 'Create a township workspace',
    body: signupBody,
    response: signupResponse,
    status: 201,
  }),
  tenant: declareRoute({
    method: 'GET',
    path: '/v1/tenant',
    access: anyRole,
    budget: 1,
    summary: 'The caller’s tenant',
    response: tenantResponse,
  }),
  settings: declareRoute({
    method: 'PATCH',
    path: '/v1/tenant/settings',
    access: adminOnly,
    budget: 1,
    summary: 'Change settings',
    body: settingsBody,
    response: tenantResponse,
  }),
  issueKey: declareRoute({
    method: 'POST',
    path: '/v1/api-keys',
    access: adminOnly,
    budget: 3,
    summary: 'Issue an API key',
    body: apiKeyBody,
    response: issuedApiKeyResponse,
    status: 201,
  }),
  listKeys: declareRoute({
    method: 'GET',
    path: '/v1/api-keys',
    access: adminOnly,
    budget: 1,
    summary: 'List API keys',
    response: apiKeyListResponse,
  }),
  revokeKey: declareRoute({
    method: 'DELETE',
    path: '/v1/api-keys/{keyId}',
    access: adminOnly,
    budget: 3,
    summary: 'Revoke an API key',
    status: 204,
  }),
};
