import { NotFound, Unauthorized } from '../../platform/errors.js';
import { implement } from '../../platform/http/route.js';
import { entityId } from '../../platform/http/schemas.js';
import { constantTimeEqual, requiredSignupToken } from '../../platform/secrets.js';
import { apiKeyRepository } from './api-keys.js';
import { createTenant } from './repository.js';
import { tenantRoutes as routes } from './routes.js';
import type { ApiKeyRecord } from './rules.js';
import { changeSettings, issueApiKey, readTenant, revokeApiKey, rotateApiKey } from './use-cases.js';

/** A key as issued: shown once with its secret. */
const issued = (k: ApiKeyRecord & { apiKey: string }) => ({
  keyId: k.keyId,
  apiKey: k.apiKey,
  name: k.name,
  role: k.role,
  gridIds: k.gridIds,
  createdAt: k.createdAt,
  expiresAt: k.expiresAt,
  rotatedFrom: k.rotatedFrom,
});

/** Sign-up: served by its own function (its role may only create a tenant and its first key). */
export const signupHandlers = [
  implement(routes.signup, async ({ body, headers }) => {
    const token = await requiredSignupToken();
    if (token !== undefined && !constantTimeEqual(headers['x-signup-token'] ?? '', token)) {
      throw new Unauthorized('This deployment requires a sign-up token: X-Signup-Token.');
    }
    return { body: await createTenant(body) };
  }),
];

export const tenantHandlers = [
  implement(routes.tenant, async ({ principal }) => ({ body: await readTenant(principal) })),

  implement(routes.me, async ({ principal }) => {
    const tenant = await readTenant(principal);
    return {
      body: {
        tenantId: tenant.tenantId,
        townshipName: tenant.townshipName,
        keyId: principal.keyId,
        keyName: principal.keyName,
        role: principal.role,
        gridIds: principal.gridIds ? [...principal.gridIds] : null,
        settings: tenant.settings,
      },
    };
  }),

  implement(routes.settings, async ({ principal, body }) => ({
    body: await changeSettings(principal, body),
  })),

  implement(routes.issueKey, async ({ principal, body }) => ({
    body: issued(await issueApiKey(principal, body)),
  })),

  implement(routes.rotateKey, async ({ principal, params, body }) => {
    const keyId = params.keyId ?? '';
    if (!entityId.safeParse(keyId).success) throw new NotFound('API key');
    return { body: issued(await rotateApiKey(principal, keyId, body)) };
  }),

  implement(routes.listKeys, async ({ principal }) => ({
    body: { items: await apiKeyRepository(principal).list() },
  })),

  implement(routes.revokeKey, async ({ principal, params }) => {
    const keyId = params.keyId ?? '';
    if (!entityId.safeParse(keyId).success) throw new NotFound('API key');
    await revokeApiKey(principal, keyId);
    return {};
  }),
];
