import type { StoredCounterItem } from '../../../shared/modules/statistics/repository/counters.js';
import {
  type Contributions,
  counterItemId,
  counterItemRef,
  type StoredRecord,
} from '../../../shared/platform/counting.js';

/** Shared fixtures of the people counter tests (and of the statistics engine tests that use them). */
export type Fields = Record<string, number>;
type Plain = Record<string, Fields>;

/**
 * A contributions map as plain objects, with each grid's women-by-birth-year buckets folded into
 * its main gauge item (the storage split is asserted on its own in 'women are stored by span of
 * birth years').
 */
export const plain = (c: Contributions): Plain => {
  const out: Plain = {};
  for (const [id, fields] of c) {
    const ref = counterItemRef(id);
    const key = ref.kind === 'gauge' ? counterItemId({ ...ref, bucket: '' }) : id;
    out[key] = { ...(out[key] ?? {}), ...Object.fromEntries(fields) };
  }
  return out;
};

export const person = (over: Record<string, unknown> = {}): StoredRecord => ({
  entity: 'person',
  gridId: 'g1',
  status: 'active',
  flow: 'inflow',
  sex: 'female',
  birthDate: '1990-05-05',
  maritalStatus: 'married',
  arrivedOn: '2024-03-10',
  lastVerifiedOn: null,
  departedOn: null,
  closedOn: null,
  ...over,
});

export const verification = (over: Record<string, unknown> = {}): StoredRecord => ({
  entity: 'history',
  action: 'verified',
  gridId: 'g1',
  verifiedOn: '2024-04-02',
  ...over,
});

/**
 * The people gauge fields of one grid from a contributions map: every gauge bucket merged, as the
 * statistics read merges a module's gauge items before its plug-in reads them.
 */
export const gaugesOf = (c: Contributions, gridId = 'g1'): ReadonlyMap<string, number> =>
  new Map(
    [...c].flatMap(([id, fields]) => {
      const ref = counterItemRef(id);
      return ref.module === 'people' && ref.gridId === gridId && ref.kind === 'gauge' ? [...fields] : [];
    }),
  );

/** The month items of a contributions map, as the counter repository reads them for monthlyFlows. */
export const monthItemsOf = (c: Contributions, gridId?: string): StoredCounterItem[] =>
  [...c].flatMap(([id, fields]) => {
    const ref = counterItemRef(id);
    return ref.kind === 'month' && (gridId === undefined || ref.gridId === gridId)
      ? [{ ref, fields, revision: undefined }]
      : [];
  });
