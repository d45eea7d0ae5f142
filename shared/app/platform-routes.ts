import { z } from 'zod';
import { declareRoute } from '../platform/http/route.js';
import type { HttpGroup } from '../platform/module.js';

/** Routes no module owns: readiness and the OpenAPI document (served with `$default`). */
export const platformRoutes = {
  health: declareRoute({
    method: 'GET',
    path: '/v1/health',
    access: 'public',
    budget: 0,
    summary: 'Readiness',
    response: z.object({ status: z.literal('ok') }),
  }),
  openapi: declareRoute({
    method: 'GET',
    path: '/v1/openapi.json',
    access: 'public',
    budget: 0,
    summary: 'OpenAPI document',
    response: z.record(z.string(), z.unknown()),
  }),
};

export const platformHttp: HttpGroup = {
  name: 'platform',
  entry: 'functions/http/platform.ts',
  description: 'health and OpenAPI',
  tableAccess: 'none',
};
