import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { creditCodeFor, landlordIdNumber } from '../../../infra/local/seed-data.js';
import { addDays, todayIn } from '../../../shared/platform/dates.js';
import { idNumberFor } from '../../support/people.js';
import { type ApiResponse, call, signUp, type Workspace } from '../support/api.js';

/** The housing e2e files' shared fixture: bodies, a township with two grids and its keys, jobs. */
export const today = todayIn('Asia/Shanghai');

const run = promisify(execFile);

/** `npm run job -- <name> [input]` against the e2e stack, exactly as a person would run it. */
export async function job(name: string, input?: Record<string, unknown>) {
  const { stdout } = await run(
    'npm',
    ['run', '--silent', 'job', '--', name, ...(input ? [JSON.stringify(input)] : [])],
    {
      env: {
        ...process.env,
        PORT: String(inject('port')),
        DYNAMODB_PORT: String(inject('dynamoPort')),
        DATA_DIR: inject('dataDir'),
      },
      timeout: 120_000,
    },
  );
  const outputs = stdout
    .split(/\n(?=\{)/)
    .filter((s) => s.trim().startsWith('{'))
    .map((s) => JSON.parse(s));
  return outputs.at(-1).result;
}

/** Fail loudly unless the answer has this status (setup steps). */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
export function ok<T = any>(res: ApiResponse<T>, status = 201): T {
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  return res.body;
}

let landlordSerial = 0;

/**
 * A landlord body with a valid ID number (from the seed's generator) and a mobile phone — what
 * the e2e teardown's personal-data scan would find if either leaked into a log, key or index.
 */
export function individualLandlord(overrides: Record<string, unknown> = {}) {
  const n = 900 + ++landlordSerial;
  return {
    kind: 'individual',
    name: `Landlord Qian ${n}`,
    idNumber: landlordIdNumber(n, n % 2 ? 'male' : 'female', addDays(today, -365 * 40 - n)),
    phone: `139${String(30_000_000 + n * 7_919).slice(-8)}`,
    address: `Landlord Lane ${n}`,
    ...overrides,
  };
}

export function organisationLandlord(overrides: Record<string, unknown> = {}) {
  const n = 500 + ++landlordSerial;
  return {
    kind: 'organisation',
    name: `Qiaotou Lettings ${n} Co., Ltd.`,
    creditCode: creditCodeFor(n),
    legalRepresentative: `Director Sun ${n}`,
    phone: `137${String(40_000_000 + n * 7_919).slice(-8)}`,
    address: `Industrial Road ${n}`,
    ...overrides,
  };
}

let plaqueSerial = 0;

export function houseBody(gridId: string, overrides: Record<string, unknown> = {}) {
  const n = ++plaqueSerial;
  return {
    gridId,
    status: 'registered',
    address: { estate: 'Qiaotou Estate', building: String(n), room: '101' },
    plaque: `E2E-${n}`,
    houseType: 'suite',
    use: 'dwelling',
    lettingMode: 'whole',
    managementClass: 'B',
    maxOccupants: 2,
    ...overrides,
  };
}

export function personBody(gridId: string, overrides: Record<string, unknown> = {}) {
  return {
    idNumber: idNumberFor('male', '1988-06-15'),
    name: 'Tenant Zhou',
    flow: 'inflow',
    gridId,
    address: 'Qiaotou Estate, Room 101',
    arrivedOn: addDays(today, -20),
    maritalStatus: 'single',
    phone: '13911112222',
    ...overrides,
  };
}

export interface HousingTownship {
  ws: Workspace;
  other: Workspace;
  gridA: string;
  gridB: string;
  office: string;
  viewer: string;
  /** A grid key limited to grid A. */
  gridKeyA: string;
  landlordId: string;
  /** The landlord's raw identifiers (to prove a viewer never sees them). */
  landlord: ReturnType<typeof individualLandlord>;
}

export async function housingTownship(name = 'Housing Township'): Promise<HousingTownship> {
  const [ws, other] = await Promise.all([signUp(name), signUp(`${name} (other)`)]);
  const [gridA, gridB] = await Promise.all([ws.grid('Grid A'), ws.grid('Grid B')]);
  const landlord = individualLandlord();
  const [office, viewer, gridKeyA, l] = await Promise.all([
    ws.keyOf('office'),
    ws.keyOf('viewer'),
    ws.keyOf('grid', [gridA]),
    call('POST', '/v1/landlords', { key: ws.adminKey, body: landlord }),
  ]);
  return { ws, other, gridA, gridB, office, viewer, gridKeyA, landlordId: ok(l).landlordId, landlord };
}

/**
 * Every item of a list, following `nextCursor` (a worklist page may be empty and still have a
 * next one: the banned-house worklist pages over banned houses and keeps the occupied ones).
 */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
export async function allItems(key: string, path: string): Promise<any[]> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const sep = path.includes('?') ? '&' : '?';
    const res: ApiResponse<{ items: unknown[]; nextCursor: string | null }> = await call(
      'GET',
      cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path,
      {
        key,
      },
    );
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text.slice(0, 300)}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error(`GET ${path}: more than 100 pages`);
}

/** Create a house and return its answer's body. */
export async function createHouse(key: string, gridId: string, overrides: Record<string, unknown> = {}) {
  return ok(await call('POST', '/v1/houses', { key, body: houseBody(gridId, overrides) }));
}
