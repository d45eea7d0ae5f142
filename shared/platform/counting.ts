import { isIsoDate } from './dates.js';
import type { TenantSettings } from './settings.js';

/**
 * The contract between a module and the statistics engine (no AWS here). A module says which
 * counters one stored record adds to (`contributions`) and how its stored counter fields read
 * as the numbers the API reports (`read`); the engine applies contributions(new) −
 * contributions(old) for every write and sums contributions over all records to reconcile.
 *
 * Counters are kept per grid, in counter items of two kinds, namespaced by module:
 * - `gauge` items: the state now (optionally split into buckets so no item outgrows 400 KB);
 * - `month` items: flows by calendar month.
 */

/** A stored record as the table holds it (a stream image, unmarshalled). */
export type StoredRecord = Readonly<Record<string, unknown>>;

export type CounterItemRef =
  | { module: string; gridId: string; kind: 'gauge'; bucket: string }
  | { module: string; gridId: string; kind: 'month'; month: string };

/** counter item id → field → amount */
export type Contributions = Map<string, Map<string, number>>;

/** THE encoding of a counter item id (the in-memory name of one counter item): here and nowhere else. */
export function counterItemId(ref: CounterItemRef): string {
  return ref.kind === 'gauge'
    ? `${ref.module}|${ref.gridId}|gauge|${ref.bucket}`
    : `${ref.module}|${ref.gridId}|month|${ref.month}`;
}

export function counterItemRef(id: string): CounterItemRef {
  const [module, gridId, kind, part, extra] = id.split('|');
  if (module && gridId && part !== undefined && extra === undefined) {
    if (kind === 'gauge') return { module, gridId, kind, bucket: part };
    if (kind === 'month' && part !== '') return { module, gridId, kind, month: part };
  }
  throw new Error(`bad counter item id ${id}`);
}

/** A record that cannot be counted (corrupted): reported, never counted, never fatal. */
export class MalformedRecordError extends Error {}

/** The fields of one counter item in a contributions map, created empty if missing. */
export function fieldsFor(c: Contributions, id: string): Map<string, number> {
  const existing = c.get(id);
  if (existing) return existing;
  const created = new Map<string, number>();
  c.set(id, created);
  return created;
}

/** A module's way of adding to contributions, namespaced so two modules' counters never collide. */
export function countersOf(module: string) {
  const add = (into: Contributions, ref: CounterItemRef, field: string, n: number) => {
    const fields = fieldsFor(into, counterItemId(ref));
    fields.set(field, (fields.get(field) ?? 0) + n);
  };
  return {
    gauge: (into: Contributions, at: { gridId: string; bucket?: string }, field: string, n = 1) =>
      add(into, { module, gridId: at.gridId, kind: 'gauge', bucket: at.bucket ?? '' }, field, n),
    month: (into: Contributions, at: { gridId: string; month: string }, field: string, n = 1) =>
      add(into, { module, gridId: at.gridId, kind: 'month', month: at.month }, field, n),
  };
}

/** Reading stored record fields for counting: a missing or malformed value is a MalformedRecordError. */
export const recordField = {
  text(r: StoredRecord, f: string): string {
    const v = r[f];
    if (typeof v !== 'string' || v === '') throw new MalformedRecordError(`record has no ${f}`);
    return v;
  },
  date(r: StoredRecord, f: string): string {
    const v = recordField.text(r, f);
    if (!isIsoDate(v)) throw new MalformedRecordError(`record has an invalid ${f}`);
    return v;
  },
  optionalText: (r: StoredRecord, f: string): string | null =>
    typeof r[f] === 'string' && r[f] !== '' ? (r[f] as string) : null,
};

export interface ReadContext {
  /** The tenant's today (its time zone). */
  today: string;
  settings: TenantSettings;
}

/** A module's counters, plugged into the statistics engine. */
export interface CounterPlugin {
  /** The namespace of its counter items and the name in the uniqueness test. */
  module: string;
  /** Entities (the `entity` attribute) of the records it counts; each entity has one counting module. */
  entities: readonly string[];
  /** Stream records reach the aggregator only if their NewImage matches one of these (string equality). */
  streamFilters: readonly Readonly<Record<string, readonly string[]>>[];
  /** Which counters one stored record adds to (records that count nothing give an empty map). */
  contributions(record: StoredRecord): Contributions;
  /** The names of the numbers `read` reports (the statistics responses' fields). */
  fields: readonly string[];
  /** The names of the numbers `derive` reports. */
  derivedFields?: readonly string[];
  /** The module's gauge fields of one grid (all buckets merged) → its reported numbers. */
  read(gauges: ReadonlyMap<string, number>, at: ReadContext): Record<string, number>;
  /** Numbers derived from summed `read` results (rates); computed after summing grids. */
  derive?(counts: Readonly<Record<string, number>>): Record<string, number | null>;
  /** The month fields it reports (its month items' field names are these). */
  monthFields: readonly string[];
  /** The names of the numbers `deriveMonth` reports. */
  derivedMonthFields?: readonly string[];
  /** Numbers derived from one month's summed fields (rates). */
  deriveMonth?(row: Readonly<Record<string, number>>): Record<string, number | null>;
}
