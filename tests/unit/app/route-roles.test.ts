import { describe, expect, it } from 'vitest';
import { engine, routes } from '../../../shared/app/index.js';
import { platformRoutes } from '../../../shared/app/platform-routes.js';
import { gridHandlers } from '../../../shared/modules/grids/handlers.js';
import { housingHandlers } from '../../../shared/modules/housing/handlers.js';
import { letterHandlers } from '../../../shared/modules/housing/letters/handlers.js';
import { peopleHandlers } from '../../../shared/modules/people/handlers.js';
import { statisticsHandlers } from '../../../shared/modules/statistics/handlers.js';
import { signupHandlers, tenantHandlers } from '../../../shared/modules/tenants/handlers.js';
import { type Role, roles } from '../../../shared/platform/access/roles.js';
import { type AnyRouteDeclaration, routeKeyOf } from '../../../shared/platform/http/route.js';
import { expectedAccess } from '../../support/expected-access.js';

/** Roles as a sorted list (or 'public'), so the order a declaration names them in does not matter. */
const normalized = (access: 'public' | readonly Role[]) =>
  access === 'public' ? access : [...access].sort();

const tableKeys = routes.map(routeKeyOf);

describe('route roles', () => {
  it('every route of the table has a written expectation (a new route needs an entry here)', () => {
    expect(tableKeys.filter((key) => !(key in expectedAccess))).toEqual([]);
  });

  it('every expectation names a route of the table (none was dropped or renamed)', () => {
    expect(Object.keys(expectedAccess).filter((key) => !tableKeys.includes(key))).toEqual([]);
  });

  it.each(routes.map((r) => [routeKeyOf(r), r] as const))(
    '%s allows exactly the expected roles',
    (key, r) => {
      const expected = expectedAccess[key];
      expect(expected, `no expectation for ${key}`).toBeDefined();
      if (expected === undefined) return;
      expect(normalized(r.access)).toEqual(normalized(expected));
    },
  );

  /**
   * Door-to-door work, the only writes a grid key may make: verifying people, and recording
   * houses, their registration and inspections, and the landlords met at the door
   * (docs/housing.md, "Routes"). Written out: a grid-writable route added elsewhere fails.
   */
  const gridWrites = [
    'POST /v1/people/{personId}/verifications',
    'POST /v1/houses',
    'POST /v1/houses/batch',
    'POST /v1/houses/{houseId}/registration',
    'POST /v1/houses/{houseId}/inspections',
    'POST /v1/landlords',
    'POST /v1/letters',
    'POST /v1/letters/batch',
  ];

  it('viewers never write; grid keys write only door-to-door work', () => {
    const writes = Object.entries(expectedAccess).filter(
      ([key, a]) => !key.startsWith('GET ') && a !== 'public',
    );
    for (const [key] of writes) expect(expectedAccess[key]).not.toContain('viewer');
    expect(
      writes
        .filter(([, a]) => a.includes('grid'))
        .map(([key]) => key)
        .sort(),
    ).toEqual([...gridWrites].sort());
    // and the table agrees
    for (const r of routes) {
      if (r.method === 'GET' || r.access === 'public') continue;
      expect(r.access, routeKeyOf(r)).not.toContain('viewer');
      if (!gridWrites.includes(routeKeyOf(r))) expect(r.access, routeKeyOf(r)).not.toContain('grid');
    }
  });

  it('every role named is a known role', () => {
    for (const access of Object.values(expectedAccess))
      if (access !== 'public') for (const role of access) expect(roles).toContain(role);
  });
});

describe('the functions enforce the same roles', () => {
  // The HTTP handler checks the role from its own implementations' declarations (API Gateway's
  // authorizer only authenticates), so those must say what the table says.
  const served: Record<string, readonly AnyRouteDeclaration[]> = {
    platform: Object.values(platformRoutes),
    signup: signupHandlers.map((h) => h.declaration),
    tenants: tenantHandlers.map((h) => h.declaration),
    grids: gridHandlers.map((h) => h.declaration),
    people: peopleHandlers.map((h) => h.declaration),
    housing: [...housingHandlers, ...letterHandlers].map((h) => h.declaration),
    stats: statisticsHandlers(engine).map((h) => h.declaration),
  };

  it('each function implements exactly the routes the table gives it', () => {
    for (const fn of new Set(routes.map((r) => r.fn))) {
      expect(served[fn], `no implementations listed for function ${fn}`).toBeDefined();
      expect((served[fn] ?? []).map(routeKeyOf).sort(), fn).toEqual(
        routes
          .filter((r) => r.fn === fn)
          .map(routeKeyOf)
          .sort(),
      );
    }
  });

  it.each(Object.entries(served).flatMap(([fn, ds]) => ds.map((d) => [fn, routeKeyOf(d), d] as const)))(
    '%s: %s checks the expected roles',
    (_fn, key, declaration) => {
      const expected = expectedAccess[key];
      expect(expected, `no expectation for ${key}`).toBeDefined();
      if (expected === undefined) return;
      expect(normalized(declaration.access)).toEqual(normalized(expected));
    },
  );
});
