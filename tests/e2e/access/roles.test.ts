import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../../shared/app/index.js';
import { addDays, monthOf, todayIn } from '../../../shared/platform/dates.js';
import { routeKeyOf } from '../../../shared/platform/http/route.js';
import { expectedAccess } from '../../support/expected-access.js';
import { idNumberFor } from '../../support/people.js';
import { type ApiResponse, call, expectProblem, signUp, type Workspace } from '../support/api.js';

/**
 * Who may call what, over HTTP against the real local stack: every route is called with a key
 * of each role (admin, office, grid limited to one grid, viewer) and must answer 403 to every
 * role this table does not name, and succeed for every role it names. The table is written
 * out by hand from the contract — NOT read back from the route table it checks — so a role
 * widened or narrowed in a declaration, or a role check lost in the HTTP pipeline, fails here.
 * A route of the table without an entry here fails too.
 */
type Role = 'admin' | 'office' | 'grid' | 'viewer';
const everyone: readonly Role[] = ['admin', 'office', 'grid', 'viewer'];

/** Rules a use case adds on top of its route's roles: the same route, refused to more roles. */
const expectedUseCaseAccess: Record<string, readonly Role[]> = {
  // Looking a person up by ID number is registry work, though any role may list people.
  'GET /v1/people?idNumber=': ['admin', 'office'],
};

interface Request {
  method: string;
  path: string;
  body?: unknown;
}

const today = todayIn('Asia/Shanghai');
let ws: Workspace;
let gridA: string;
let keys: Record<Role, string>;

beforeAll(async () => {
  ws = await signUp('Roles Township');
  gridA = await ws.grid('Grid A');
  keys = {
    admin: ws.adminKey,
    office: await ws.keyOf('office'),
    grid: await ws.keyOf('grid', [gridA]),
    viewer: await ws.keyOf('viewer'),
  };
});

const arrival = (idNumber = idNumberFor('female', '1990-03-07')) => ({
  idNumber,
  name: 'Wang Fang',
  flow: 'inflow',
  gridId: gridA,
  address: 'Building 1, Room 101',
  arrivedOn: addDays(today, -30),
  maritalStatus: 'married',
  phone: '13912345678',
});

/** A fresh person in grid A (the grid key's grid), registered by the admin. */
async function person(): Promise<{ personId: string; idNumber: string }> {
  const body = arrival();
  const res = await call('POST', '/v1/people', { key: ws.adminKey, body });
  if (res.status !== 201) throw new Error(`register ${res.status} ${res.text}`);
  return { personId: res.body.personId, idNumber: body.idNumber };
}

/** A fresh key to rotate or revoke (one per call: a revoked key cannot be revoked twice). */
async function spareKey(): Promise<string> {
  const res = await call('POST', '/v1/api-keys', {
    key: ws.adminKey,
    body: { name: 'spare', role: 'viewer' },
  });
  if (res.status !== 201) throw new Error(`api key ${res.status} ${res.text}`);
  return res.body.keyId;
}

// housing (docs/housing.md): a landlord, houses in grid A in each state a step needs, letters
let plaques = 0;
let landlordNumbers = 0;
const landlordBody = () => ({
  kind: 'individual',
  name: 'Zhou Qiang',
  idNumber: idNumberFor('male', addDays('1966-01-01', landlordNumbers++)),
  phone: '13700001111',
  address: 'Riverside Village 3',
});
async function created(path: string, body: unknown, id: string): Promise<string> {
  const res = await call('POST', path, { key: ws.adminKey, body });
  if (res.status !== 201 && res.status !== 200) throw new Error(`${path} ${res.status} ${res.text}`);
  return res.body[id];
}
const landlord = () => created('/v1/landlords', landlordBody(), 'landlordId');
const houseBody = async (over: Record<string, unknown> = {}) => ({
  gridId: gridA,
  status: 'registered',
  address: { estate: 'Roles Estate', building: '1', room: String(100 + plaques) },
  plaque: `ROLES-${Date.now().toString(36)}-${plaques++}`,
  houseType: 'suite',
  use: 'dwelling',
  lettingMode: 'whole',
  managementClass: 'B',
  landlordId: await landlord(),
  registeredOn: addDays(today, -30),
  maxOccupants: 3,
  caretaker: { name: 'Lin Hua', phone: '13600002222' },
  ...over,
});
/** A fresh house in grid A, taken through `steps` (e.g. banned) by the admin. */
async function house(over: Record<string, unknown> = {}, ...steps: [string, unknown][]): Promise<string> {
  const houseId = await created('/v1/houses', await houseBody(over), 'houseId');
  for (const [step, body] of steps) await created(`/v1/houses/${houseId}/${step}`, body, 'houseId');
  return houseId;
}
const banBody = { reason: 'illegal rental', basis: 'Notice 3', bannedOn: today };
const letterBody = async () => ({
  kind: 'security-responsibility',
  party: { kind: 'landlord', landlordId: await landlord() },
  houseId: await house(),
  signedOn: today,
  validFrom: today,
  validUntil: addDays(today, 365),
});
const letter = async () => created('/v1/letters', await letterBody(), 'letterId');

/**
 * A request each route should answer with success for an allowed role: fresh resources where
 * a call changes them, and everything inside grid A, so scope never answers for the role check.
 */
const requests: Record<string, () => Promise<Request>> = {
  'GET /v1/tenant': async () => ({ method: 'GET', path: '/v1/tenant' }),
  'PATCH /v1/tenant/settings': async () => ({
    method: 'PATCH',
    path: '/v1/tenant/settings',
    body: { staleAfterDays: 120 },
  }),
  'POST /v1/api-keys': async () => ({
    method: 'POST',
    path: '/v1/api-keys',
    body: { name: 'new', role: 'viewer' },
  }),
  'GET /v1/api-keys': async () => ({ method: 'GET', path: '/v1/api-keys' }),
  'GET /v1/me': async () => ({ method: 'GET', path: '/v1/me' }),
  'POST /v1/api-keys/{keyId}/rotation': async () => ({
    method: 'POST',
    path: `/v1/api-keys/${await spareKey()}/rotation`,
    body: { overlapMinutes: 0 },
  }),
  'DELETE /v1/api-keys/{keyId}': async () => ({ method: 'DELETE', path: `/v1/api-keys/${await spareKey()}` }),
  'POST /v1/grids': async () => ({
    method: 'POST',
    path: '/v1/grids',
    body: { name: 'New', community: 'C' },
  }),
  'GET /v1/grids': async () => ({ method: 'GET', path: '/v1/grids' }),
  'GET /v1/grids/{gridId}': async () => ({ method: 'GET', path: `/v1/grids/${gridA}` }),
  'POST /v1/people': async () => ({ method: 'POST', path: '/v1/people', body: arrival() }),
  'GET /v1/people': async () => ({ method: 'GET', path: `/v1/people?gridId=${gridA}` }),
  'GET /v1/people/due': async () => ({ method: 'GET', path: `/v1/people/due?gridId=${gridA}` }),
  'GET /v1/people?idNumber=': async () => ({
    method: 'GET',
    path: `/v1/people?idNumber=${(await person()).idNumber}`,
  }),
  'POST /v1/people/batch': async () => ({
    method: 'POST',
    path: '/v1/people/batch',
    body: { items: [arrival()] },
  }),
  'GET /v1/people/{personId}': async () => ({
    method: 'GET',
    path: `/v1/people/${(await person()).personId}`,
  }),
  'PATCH /v1/people/{personId}': async () => ({
    method: 'PATCH',
    path: `/v1/people/${(await person()).personId}`,
    body: { address: 'Building 2, Room 202' },
  }),
  'POST /v1/people/{personId}/verifications': async () => ({
    method: 'POST',
    path: `/v1/people/${(await person()).personId}/verifications`,
    body: { verifiedOn: today, outcome: 'present' },
  }),
  'POST /v1/people/{personId}/departure': async () => ({
    method: 'POST',
    path: `/v1/people/${(await person()).personId}/departure`,
    body: { departedOn: today, reason: 'left' },
  }),
  'GET /v1/people/{personId}/history': async () => ({
    method: 'GET',
    path: `/v1/people/${(await person()).personId}/history`,
  }),
  'GET /v1/people/{personId}/access-log': async () => ({
    method: 'GET',
    path: `/v1/people/${(await person()).personId}/access-log`,
  }),
  'GET /v1/api-keys/{keyId}/access-log': async () => ({
    method: 'GET',
    path: `/v1/api-keys/${await spareKey()}/access-log`,
  }),
  'GET /v1/stats': async () => ({ method: 'GET', path: '/v1/stats' }),
  'GET /v1/stats/monthly': async () => ({
    method: 'GET',
    path: `/v1/stats/monthly?from=${monthOf(addDays(today, -60))}&to=${monthOf(today)}`,
  }),
  'GET /v1/grids/{gridId}/stats': async () => ({ method: 'GET', path: `/v1/grids/${gridA}/stats` }),
  'GET /v1/reconciliations': async () => ({ method: 'GET', path: '/v1/reconciliations' }),
  // housing: houses
  'POST /v1/houses': async () => ({ method: 'POST', path: '/v1/houses', body: await houseBody() }),
  'POST /v1/houses/batch': async () => ({
    method: 'POST',
    path: '/v1/houses/batch',
    body: { items: [await houseBody()] },
  }),
  'GET /v1/houses': async () => ({ method: 'GET', path: `/v1/houses?gridId=${gridA}` }),
  'GET /v1/houses/banned-occupied': async () => ({ method: 'GET', path: '/v1/houses/banned-occupied' }),
  'GET /v1/houses/lapsed-letters': async () => ({ method: 'GET', path: '/v1/houses/lapsed-letters' }),
  'GET /v1/houses/{houseId}': async () => ({ method: 'GET', path: `/v1/houses/${await house()}` }),
  'PATCH /v1/houses/{houseId}': async () => ({
    method: 'PATCH',
    path: `/v1/houses/${await house()}`,
    body: { maxOccupants: 5 },
  }),
  'POST /v1/houses/{houseId}/registration': async () => ({
    method: 'POST',
    path: `/v1/houses/${await house({ status: 'discovered', landlordId: null, registeredOn: undefined })}/registration`,
    body: { landlordId: await landlord() },
  }),
  'POST /v1/houses/{houseId}/ban': async () => ({
    method: 'POST',
    path: `/v1/houses/${await house()}/ban`,
    body: banBody,
  }),
  'POST /v1/houses/{houseId}/lift': async () => ({
    method: 'POST',
    path: `/v1/houses/${await house({}, ['ban', banBody])}/lift`,
    body: { liftedOn: today },
  }),
  'POST /v1/houses/{houseId}/closure': async () => ({
    method: 'POST',
    path: `/v1/houses/${await house()}/closure`,
    body: { reason: 'letting-stopped', closedOn: today },
  }),
  'POST /v1/houses/{houseId}/reopening': async () => ({
    method: 'POST',
    path: `/v1/houses/${await house({}, ['closure', { reason: 'letting-stopped', closedOn: today }])}/reopening`,
    body: { registeredOn: today },
  }),
  'POST /v1/houses/{houseId}/inspections': async () => ({
    method: 'POST',
    path: `/v1/houses/${await house()}/inspections`,
    body: { inspectedOn: today, findings: 'Fire exits clear.' },
  }),
  'GET /v1/houses/{houseId}/history': async () => ({
    method: 'GET',
    path: `/v1/houses/${await house()}/history`,
  }),
  'GET /v1/houses/{houseId}/access-log': async () => ({
    method: 'GET',
    path: `/v1/houses/${await house()}/access-log`,
  }),
  // housing: landlords
  'POST /v1/landlords': async () => ({ method: 'POST', path: '/v1/landlords', body: landlordBody() }),
  'GET /v1/landlords': async () => ({ method: 'GET', path: '/v1/landlords' }),
  'GET /v1/landlords/{landlordId}': async () => ({
    method: 'GET',
    path: `/v1/landlords/${await landlord()}`,
  }),
  'PATCH /v1/landlords/{landlordId}': async () => ({
    method: 'PATCH',
    path: `/v1/landlords/${await landlord()}`,
    body: { address: 'Riverside Village 4' },
  }),
  'GET /v1/landlords/{landlordId}/houses': async () => ({
    method: 'GET',
    path: `/v1/landlords/${await landlord()}/houses`,
  }),
  'GET /v1/landlords/{landlordId}/history': async () => ({
    method: 'GET',
    path: `/v1/landlords/${await landlord()}/history`,
  }),
  'GET /v1/landlords/{landlordId}/access-log': async () => ({
    method: 'GET',
    path: `/v1/landlords/${await landlord()}/access-log`,
  }),
  // housing: letters
  'POST /v1/letters': async () => ({ method: 'POST', path: '/v1/letters', body: await letterBody() }),
  'POST /v1/letters/batch': async () => ({
    method: 'POST',
    path: '/v1/letters/batch',
    body: { items: [await letterBody()] },
  }),
  'GET /v1/letters': async () => ({ method: 'GET', path: `/v1/letters?gridId=${gridA}` }),
  'GET /v1/letters/expiring': async () => ({ method: 'GET', path: '/v1/letters/expiring' }),
  'GET /v1/letters/{letterId}': async () => ({ method: 'GET', path: `/v1/letters/${await letter()}` }),
  'POST /v1/letters/{letterId}/revocation': async () => ({
    method: 'POST',
    path: `/v1/letters/${await letter()}/revocation`,
    body: { reason: 'signed in error' },
  }),
  'GET /v1/letters/{letterId}/history': async () => ({
    method: 'GET',
    path: `/v1/letters/${await letter()}/history`,
  }),
};

const send = async (role: Role, r: Request): Promise<ApiResponse> =>
  call(r.method, r.path, { key: keys[role], ...(r.body !== undefined ? { body: r.body } : {}) });

/** Every role against one route: 403 problem+json for the refused, 2xx for the allowed. */
async function checkRoles(key: string, allowed: readonly Role[]) {
  const build = requests[key];
  expect(build, `no request written for ${key}`).toBeDefined();
  if (!build) return;
  const seen: Record<string, number> = {};
  for (const role of everyone) {
    const res = await send(role, await build());
    seen[role] = res.status;
    if (allowed.includes(role)) {
      expect(res.status, `${key} as ${role}: ${res.text}`).not.toBe(403);
      expect(res.status, `${key} as ${role}: ${res.text}`).toBeGreaterThanOrEqual(200);
      expect(res.status, `${key} as ${role}: ${res.text}`).toBeLessThan(300);
    } else {
      expectProblem(res, 403);
    }
  }
  // One line that shows the whole row when it is wrong.
  expect(
    Object.entries(seen).map(([role, status]) => `${role}:${status === 403 ? 'refused' : 'allowed'}`),
  ).toEqual(everyone.map((role) => `${role}:${allowed.includes(role) ? 'allowed' : 'refused'}`));
}

describe('every route, every role, over HTTP', () => {
  it('every route of the table has an expectation here (a new route needs one)', () => {
    expect(routes.map(routeKeyOf).filter((key) => !(key in expectedAccess))).toEqual([]);
  });

  it('every expectation names a route of the table (none dropped or renamed)', () => {
    const served = new Set(routes.map(routeKeyOf));
    expect(Object.keys(expectedAccess).filter((key) => !served.has(key))).toEqual([]);
  });

  it('public routes answer without a key', async () => {
    expect((await call('GET', '/v1/health')).status).toBe(200);
    expect((await call('GET', '/v1/openapi.json')).status).toBe(200);
    const signup = await call('POST', '/v1/signup', {
      body: { townshipName: 'Public', adminName: 'A', adminEmail: 'a@example.cn' },
    });
    expect(signup.status).toBe(201);
  });

  it.each(Object.entries(expectedAccess).filter(([, access]) => access !== 'public'))(
    '%s: 403 for every role not in %j, success for the others',
    async (key, access) => {
      await checkRoles(key, access as readonly Role[]);
    },
  );

  it.each(Object.entries(expectedUseCaseAccess))(
    '%s: 403 for every role not in %j, success for the others',
    async (key, access) => {
      await checkRoles(key, access);
    },
  );

  it('departure is refused to viewers and grid keys, and refusing it changes nothing', async () => {
    const { personId } = await person();
    for (const role of ['viewer', 'grid'] as const) {
      expectProblem(
        await send(role, {
          method: 'POST',
          path: `/v1/people/${personId}/departure`,
          body: { departedOn: today, reason: 'left' },
        }),
        403,
      );
    }
    const after = await call('GET', `/v1/people/${personId}`, { key: ws.adminKey });
    expect(after.body).toMatchObject({ status: 'active', departedOn: null, version: 1 });
  });
});
