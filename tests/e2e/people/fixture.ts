import { todayIn } from '../../../shared/platform/dates.js';
import { idNumberFor } from '../../support/people.js';
import { signUp, type Workspace } from '../support/api.js';

/** The people e2e files' shared fixture: one arrival's body, and a township with two grids and its keys. */
export const today = todayIn('Asia/Shanghai');

export function arrival(gridId: string, overrides: Record<string, unknown> = {}) {
  return {
    idNumber: idNumberFor('female', '1990-03-07'),
    name: 'Zhang Min',
    flow: 'inflow',
    gridId,
    address: 'Building 3, Unit 2, Room 501',
    arrivedOn: '2026-09-01',
    maritalStatus: 'married',
    phone: '13912345678',
    occupation: 'factory worker',
    employer: 'Qiaotou Textile',
    originRegion: 'Sichuan',
    ...overrides,
  };
}

export interface PeopleTownship {
  ws: Workspace;
  other: Workspace;
  gridA: string;
  gridB: string;
  office: string;
  /** An office key limited to grid A. */
  officeA: string;
  viewer: string;
  gridKeyA: string;
}

export async function peopleTownship(): Promise<PeopleTownship> {
  const ws = await signUp('People Township');
  const other = await signUp('Other Township');
  const gridA = await ws.grid('Grid A');
  const gridB = await ws.grid('Grid B');
  return {
    ws,
    other,
    gridA,
    gridB,
    office: await ws.keyOf('office'),
    officeA: await ws.keyOf('office', [gridA]),
    viewer: await ws.keyOf('viewer'),
    gridKeyA: await ws.keyOf('grid', [gridA]),
  };
}
