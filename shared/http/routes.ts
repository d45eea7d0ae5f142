/**
 * THE route table. Read by the AWS stack (API Gateway routes + one Lambda per route group),
 * by the local HTTP host, and by the functions themselves (role checks). Nothing else
 * declares a route.
 */
export const roles = ['admin', 'office', 'grid', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** Lambda functions that serve HTTP routes; one per route group. */
export const httpFunctions = {
  platform: { entry: 'functions/http/platform.ts', tableAccess: 'none', description: 'health and OpenAPI' },
  tenants: {
    entry: 'functions/http/tenants.ts',
    tableAccess: 'readWrite',
    description: 'sign-up, tenant, API keys',
  },
  grids: { entry: 'functions/http/grids.ts', tableAccess: 'readWrite', description: 'grids' },
  people: { entry: 'functions/http/people.ts', tableAccess: 'readWrite', description: 'registrations' },
  stats: {
    entry: 'functions/http/stats.ts',
    tableAccess: 'read',
    description: 'statistics and reconciliation runs',
  },
} as const;
export type HttpFunctionName = keyof typeof httpFunctions;

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway path syntax: `/v1/people/{personId}` */
  path: string;
  fn: HttpFunctionName;
  /** `public`: no Authorization header needed and no authorizer runs. */
  access: 'public' | readonly Role[];
  summary: string;
}

const anyRole = roles;
const registryWriters = ['admin', 'office'] as const satisfies readonly Role[];

export const routes = [
  { method: 'GET', path: '/v1/health', fn: 'platform', access: 'public', summary: 'Readiness' },
  { method: 'GET', path: '/v1/openapi.json', fn: 'platform', access: 'public', summary: 'OpenAPI document' },
  {
    method: 'POST',
    path: '/v1/signup',
    fn: 'tenants',
    access: 'public',
    summary: 'Create a township workspace',
  },
  { method: 'GET', path: '/v1/tenant', fn: 'tenants', access: anyRole, summary: 'The caller’s tenant' },
  {
    method: 'PATCH',
    path: '/v1/tenant/settings',
    fn: 'tenants',
    access: ['admin'],
    summary: 'Change settings',
  },
  { method: 'POST', path: '/v1/api-keys', fn: 'tenants', access: ['admin'], summary: 'Issue an API key' },
  { method: 'GET', path: '/v1/api-keys', fn: 'tenants', access: ['admin'], summary: 'List API keys' },
  {
    method: 'DELETE',
    path: '/v1/api-keys/{keyId}',
    fn: 'tenants',
    access: ['admin'],
    summary: 'Revoke an API key',
  },
  { method: 'POST', path: '/v1/grids', fn: 'grids', access: ['admin'], summary: 'Create a grid' },
  { method: 'GET', path: '/v1/grids', fn: 'grids', access: anyRole, summary: 'List grids in scope' },
  { method: 'GET', path: '/v1/grids/{gridId}', fn: 'grids', access: anyRole, summary: 'One grid' },
  {
    method: 'POST',
    path: '/v1/people',
    fn: 'people',
    access: registryWriters,
    summary: 'Register an arrival',
  },
  { method: 'GET', path: '/v1/people', fn: 'people', access: anyRole, summary: 'List people' },
  {
    method: 'POST',
    path: '/v1/people/batch',
    fn: 'people',
    access: registryWriters,
    summary: 'Register up to 100',
  },
  { method: 'GET', path: '/v1/people/{personId}', fn: 'people', access: anyRole, summary: 'One person' },
  {
    method: 'PATCH',
    path: '/v1/people/{personId}',
    fn: 'people',
    access: registryWriters,
    summary: 'Update',
  },
  {
    method: 'POST',
    path: '/v1/people/{personId}/verifications',
    fn: 'people',
    access: ['admin', 'office', 'grid'],
    summary: 'Record a door-to-door verification',
  },
  {
    method: 'POST',
    path: '/v1/people/{personId}/departure',
    fn: 'people',
    access: registryWriters,
    summary: 'Write off',
  },
  {
    method: 'GET',
    path: '/v1/people/{personId}/history',
    fn: 'people',
    access: registryWriters,
    summary: 'Audit history',
  },
  { method: 'GET', path: '/v1/stats', fn: 'stats', access: anyRole, summary: 'Counters of grids in scope' },
  { method: 'GET', path: '/v1/stats/monthly', fn: 'stats', access: anyRole, summary: 'Monthly flows' },
  {
    method: 'GET',
    path: '/v1/grids/{gridId}/stats',
    fn: 'stats',
    access: anyRole,
    summary: 'Counters of one grid',
  },
  {
    method: 'GET',
    path: '/v1/reconciliations',
    fn: 'stats',
    access: ['admin'],
    summary: 'Reconciliation runs',
  },
] as const satisfies readonly RouteDefinition[];

export type RouteKey = `${(typeof routes)[number]['method']} ${(typeof routes)[number]['path']}`;

export const routeKeyOf = (r: Pick<RouteDefinition, 'method' | 'path'>): string => `${r.method} ${r.path}`;

const byKey = new Map<string, RouteDefinition>(routes.map((r) => [routeKeyOf(r), r]));

export function findRoute(routeKey: string): RouteDefinition | undefined {
  return byKey.get(routeKey);
}

/** A malformed escape (`%zz`) stays as sent: the id is then simply unknown (404), never a 5xx. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Match a concrete request path against the table (used by the local host, as API Gateway does). */
export function matchRoute(
  method: string,
  path: string,
):
  | { route: RouteDefinition; pathParameters: Record<string, string> }
  | { allowedMethods: string[] }
  | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  const allowed: string[] = [];
  let found: { route: RouteDefinition; pathParameters: Record<string, string>; literal: number } | undefined;
  for (const route of routes as readonly RouteDefinition[]) {
    const parts = route.path.split('/').filter((s) => s !== '');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literal = 0;
    let ok = true;
    parts.forEach((p, i) => {
      const seg = segments[i] as string;
      if (p.startsWith('{') && p.endsWith('}')) params[p.slice(1, -1)] = safeDecode(seg);
      else if (p === seg) literal++;
      else ok = false;
    });
    if (!ok) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    // Like API Gateway, the most specific (most literal segments) route wins.
    if (!found || literal > found.literal) found = { route, pathParameters: params, literal };
  }
  if (found) return { route: found.route, pathParameters: found.pathParameters };
  if (allowed.length > 0) return { allowedMethods: allowed };
  return undefined;
}

/**
 * Requests that match no route go to `$default`, served by the platform function, so both
 * hosts answer unknown paths (404) and wrong methods (405) with problem+json.
 */
export const defaultRoute: { routeKey: '$default'; fn: HttpFunctionName } = {
  routeKey: '$default',
  fn: 'platform',
};

/** Stage throttling: API Gateway's default route settings on AWS, a token bucket on the local host. */
export const apiThrottle = { rateLimit: 100, burstLimit: 200 } as const;
