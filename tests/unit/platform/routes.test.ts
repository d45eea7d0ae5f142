import { describe, expect, it } from 'vitest';
import {
  defaultRoute,
  findRoute,
  httpFunctions,
  matchRequest,
  type RouteDefinition,
  routes,
} from '../../../shared/app/index.js';
import { roles } from '../../../shared/platform/access/roles.js';
import { matchRoute } from '../../../shared/platform/http/match.js';
import { routeKeyOf } from '../../../shared/platform/http/route.js';

const table: readonly RouteDefinition[] = routes;
const functionNames = httpFunctions.map((f) => f.name);
const functionNamed = (name: string) => httpFunctions.find((f) => f.name === name);
const SAMPLE_ID = 'x_01SAMPLE';

/** A concrete request path for a route: every `{param}` replaced by a sample id. */
const concrete = (path: string, id = SAMPLE_ID) => path.replace(/\{[^}]+\}/g, id);
const paramNames = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);

function matched(method: string, path: string) {
  const m = matchRequest(method, path);
  if (!m || !('route' in m)) throw new Error(`${method} ${path} matched no route: ${JSON.stringify(m)}`);
  return m;
}

function allowed(method: string, path: string): string[] {
  const m = matchRequest(method, path);
  if (!m || !('allowedMethods' in m))
    throw new Error(`${method} ${path}: expected a 405, got ${JSON.stringify(m)}`);
  return [...m.allowedMethods].sort();
}

describe('the route table', () => {
  it('has no duplicate route keys', () => {
    const keys = table.map(routeKeyOf);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(table.map((r) => [routeKeyOf(r), r] as const))(
    '%s is served by a function that exists',
    (_key, r) => {
      expect(functionNames).toContain(r.fn);
      expect(functionNamed(r.fn)?.entry).toMatch(/^functions\/http\/.+\.ts$/);
    },
  );

  it('every HTTP function serves at least one route, and $default goes to one that exists', () => {
    for (const fn of functionNames) expect(table.some((r) => r.fn === fn)).toBe(true);
    expect(functionNames).toContain(defaultRoute.fn);
  });

  it('every path is under /v1 and every access list names known roles', () => {
    for (const r of table) {
      expect(r.path.startsWith('/v1/')).toBe(true);
      if (r.access !== 'public') {
        expect(r.access.length).toBeGreaterThan(0);
        for (const role of r.access) expect(roles).toContain(role);
      }
    }
  });

  it('only health, sign-up and the OpenAPI document are public', () => {
    expect(
      table
        .filter((r) => r.access === 'public')
        .map(routeKeyOf)
        .sort(),
    ).toEqual(['GET /v1/health', 'GET /v1/openapi.json', 'POST /v1/signup']);
  });

  it('findRoute finds each route by its key, and nothing else', () => {
    for (const r of table) expect(findRoute(routeKeyOf(r))).toBe(r);
    expect(findRoute('GET /v1/people/p_1')).toBeUndefined();
    expect(findRoute('$default')).toBeUndefined();
  });
});

describe('matchRoute takes the route table first', () => {
  const own = [
    { method: 'GET', path: '/v1/things/{thingId}' },
    { method: 'POST', path: '/v1/things/special' },
  ] as const;

  it('matches against the table it is given, and only that one', () => {
    expect(matchRoute(own, 'GET', '/v1/things/t_1')).toEqual({
      route: own[0],
      pathParameters: { thingId: 't_1' },
    });
    expect(matchRoute(own, 'POST', '/v1/things/special')).toEqual({ route: own[1], pathParameters: {} });
    expect(matchRoute(own, 'GET', '/v1/things/special')).toEqual({
      route: own[0],
      pathParameters: { thingId: 'special' },
    });
    expect(matchRoute(own, 'DELETE', '/v1/things/special')).toEqual({ allowedMethods: ['GET', 'POST'] });
    expect(matchRoute(own, 'GET', '/v1/health')).toBeUndefined();
    expect(matchRoute([], 'GET', '/v1/health')).toBeUndefined();
  });

  it('matchRequest is matchRoute over the app route table', () => {
    for (const r of table) {
      const path = concrete(r.path);
      expect(matchRequest(r.method, path)).toEqual(matchRoute(table, r.method, path));
    }
  });
});

describe('matchRequest', () => {
  it.each(table.map((r) => [routeKeyOf(r), r] as const))('%s matches its own concrete path', (_key, r) => {
    const m = matched(r.method, concrete(r.path));
    expect(m.route).toBe(r);
    expect(m.pathParameters).toEqual(Object.fromEntries(paramNames(r.path).map((n) => [n, SAMPLE_ID])));
  });

  it('the most specific route wins: POST /v1/people/batch is the batch route', () => {
    const m = matched('POST', '/v1/people/batch');
    expect(routeKeyOf(m.route)).toBe('POST /v1/people/batch');
    expect(m.pathParameters).toEqual({});
  });

  it('a method with no literal route falls back to the parameter route, as API Gateway does', () => {
    const m = matched('GET', '/v1/people/batch');
    expect(routeKeyOf(m.route)).toBe('GET /v1/people/{personId}');
    expect(m.pathParameters).toEqual({ personId: 'batch' });
  });

  it('sub-resources of a parameter are their own routes', () => {
    expect(routeKeyOf(matched('GET', '/v1/grids/g_1/stats').route)).toBe('GET /v1/grids/{gridId}/stats');
    expect(routeKeyOf(matched('GET', '/v1/grids/g_1').route)).toBe('GET /v1/grids/{gridId}');
    expect(routeKeyOf(matched('GET', '/v1/grids').route)).toBe('GET /v1/grids');
    expect(routeKeyOf(matched('POST', '/v1/people/p_1/verifications').route)).toBe(
      'POST /v1/people/{personId}/verifications',
    );
    expect(routeKeyOf(matched('POST', '/v1/people/p_1/departure').route)).toBe(
      'POST /v1/people/{personId}/departure',
    );
    expect(routeKeyOf(matched('GET', '/v1/stats/monthly').route)).toBe('GET /v1/stats/monthly');
  });

  it.each(table.map((r) => [routeKeyOf(r), r] as const))(
    '%s with a method it does not have is a 405 listing the allowed methods',
    (_key, r) => {
      const path = concrete(r.path);
      // independently of matchRoute: the methods of every route whose pattern fits the path
      const fits = (pattern: string) =>
        new RegExp(`^${pattern.replace(/\{[^}]+\}/g, '[^/]+').replaceAll('.', '\\.')}$`).test(path);
      const expected = [...new Set(table.filter((o) => fits(o.path)).map((o) => o.method))].sort();
      expect(expected).toContain(r.method);
      for (const method of ['PUT', 'HEAD', 'OPTIONS', 'GET', 'POST', 'PATCH', 'DELETE']) {
        if (expected.includes(method as RouteDefinition['method'])) continue;
        const allow = allowed(method, path);
        expect(allow).toContain(r.method);
        expect(allow).not.toContain(method);
        expect(allow).toEqual(expected);
      }
    },
  );

  it('lists exactly the methods of the path for known examples', () => {
    expect(allowed('DELETE', '/v1/people/p_1')).toEqual(['GET', 'PATCH']);
    expect(allowed('GET', '/v1/signup')).toEqual(['POST']);
    expect(allowed('DELETE', '/v1/api-keys')).toEqual(['GET', 'POST']);
    expect(allowed('GET', '/v1/api-keys/k_1')).toEqual(['DELETE']);
    expect(allowed('POST', '/v1/health')).toEqual(['GET']);
    expect(allowed('GET', '/v1/people/p_1/verifications')).toEqual(['POST']);
    expect(allowed('PUT', '/v1/tenant/settings')).toEqual(['PATCH']);
  });

  it.each([
    '/v1/unknown',
    '/v2/health',
    '/health',
    '/',
    '',
    '/v1',
    '/v1/people/p_1/unknown',
    '/v1/people/p_1/history/more',
    '/v1/api-keys/k_1/extra',
    '/v1/tenant/other',
    '/v1/grids/g_1/people',
    '/V1/health',
  ])('%s is unknown', (path) => {
    for (const method of ['GET', 'POST', 'PATCH', 'DELETE'])
      expect(matchRequest(method, path)).toBeUndefined();
  });

  it.each([
    ['/v1/people/p%201', 'p 1'],
    ['/v1/people/p%2F1', 'p/1'],
    ['/v1/people/%25', '%'],
    ['/v1/people/%E5%BC%A0%E4%B8%89', '张三'],
    ['/v1/people/plain-id', 'plain-id'],
  ])('percent-decodes parameters: %s → %s', (path, personId) => {
    expect(matched('GET', path).pathParameters).toEqual({ personId });
  });

  it('percent-decodes every parameter of a route', () => {
    expect(matched('DELETE', '/v1/api-keys/k%3A1').pathParameters).toEqual({ keyId: 'k:1' });
    expect(matched('GET', '/v1/grids/%E7%BD%91%E6%A0%BC/stats').pathParameters).toEqual({ gridId: '网格' });
  });

  // A malformed escape stays as sent: the id is unknown (404), never a 5xx.
  it('does not throw on a malformed percent-escape in a parameter', () => {
    expect(() => matchRequest('GET', '/v1/people/%E0%A4%A')).not.toThrow();
    expect(() => matchRequest('GET', '/v1/people/%')).not.toThrow();
    expect(() => matchRequest('DELETE', '/v1/people/%zz')).not.toThrow();
  });
});
