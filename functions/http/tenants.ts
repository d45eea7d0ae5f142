import { z } from 'zod';
import { httpHandler, publicRoute, route } from '../../shared/http/handler.js';
import { problems } from '../../shared/http/problem.js';
import { entityId, role, text, timeZone } from '../../shared/http/schemas.js';
import { constantTimeEqual, requiredSignupToken } from '../../shared/secrets.js';
import { gridRepository } from '../../shared/table/grids.js';
import { createTenant, tenantRepository } from '../../shared/table/tenants.js';

const signupBody = z.strictObject({
  townshipName: text(200),
  adminName: text(200),
  adminEmail: z.email('must be an email address').max(320),
});

const settingsBody = z
  .strictObject({
    staleAfterDays: z.number().int('must be a whole number of days').min(1).max(3650).optional(),
    verificationCycleDays: z.number().int('must be a whole number of days').min(1).max(3650).optional(),
    timeZone: timeZone.optional(),
  })
  .refine((s) => Object.keys(s).length > 0, 'name at least one setting to change');

const apiKeyBody = z
  .strictObject({
    name: text(200),
    role,
    gridIds: z.array(entityId).min(1, 'list at least one grid').max(100).optional(),
  })
  .superRefine((k, ctx) => {
    if (k.role === 'grid' && !k.gridIds)
      ctx.addIssue({ code: 'custom', path: ['gridIds'], message: 'required for the grid role' });
    if (k.role === 'admin' && k.gridIds)
      ctx.addIssue({ code: 'custom', path: ['gridIds'], message: 'an admin key covers every grid' });
  });

export const handler = httpHandler('tenants', {
  'POST /v1/signup': publicRoute({
    body: signupBody,
    handle: async ({ body, headers }) => {
      const token = await requiredSignupToken();
      if (token !== undefined && !constantTimeEqual(headers['x-signup-token'] ?? '', token)) {
        throw problems.unauthorized('This deployment requires a sign-up token: X-Signup-Token.');
      }
      return { status: 201, body: await createTenant(body) };
    },
  }),

  'GET /v1/tenant': route({
    handle: async ({ principal }) => {
      const tenant = await tenantRepository(principal).get();
      if (!tenant) throw problems.notFound('tenant');
      return { status: 200, body: tenant };
    },
  }),

  'PATCH /v1/tenant/settings': route({
    body: settingsBody,
    handle: async ({ principal, body }) => {
      const tenant = await tenantRepository(principal).updateSettings(body);
      if (!tenant) throw problems.notFound('tenant');
      return { status: 200, body: tenant };
    },
  }),

  'POST /v1/api-keys': route({
    body: apiKeyBody,
    handle: async ({ principal, body }) => {
      const gridIds = body.gridIds ? [...new Set(body.gridIds)] : null;
      if (gridIds) {
        const found = await gridRepository(principal).existing(gridIds);
        const unknown = gridIds.map((g, i) => ({ g, i })).filter(({ g }) => !found.has(g));
        if (unknown.length > 0) {
          throw problems.validation(
            unknown.map(({ g, i }) => ({ path: `gridIds.${i}`, message: `no grid ${g} in this township` })),
          );
        }
      }
      const key = await tenantRepository(principal).createApiKey({
        name: body.name,
        role: body.role,
        gridIds,
      });
      return {
        status: 201,
        body: {
          keyId: key.keyId,
          apiKey: key.apiKey,
          name: key.name,
          role: key.role,
          gridIds: key.gridIds,
          createdAt: key.createdAt,
        },
      };
    },
  }),

  'GET /v1/api-keys': route({
    handle: async ({ principal }) => ({
      status: 200,
      body: { items: await tenantRepository(principal).listApiKeys() },
    }),
  }),

  'DELETE /v1/api-keys/{keyId}': route({
    handle: async ({ principal, params }) => {
      const keyId = params.keyId ?? '';
      if (!entityId.safeParse(keyId).success || !(await tenantRepository(principal).revokeApiKey(keyId))) {
        throw problems.notFound('API key');
      }
      return { status: 204 };
    },
  }),
});
