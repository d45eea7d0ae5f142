import { childbearingBirthRange, isIsoDate, monthOf, monthsBetween } from './dates.js';
import { overdueBefore } from './person.js';

/**
 * WHAT A COUNTER MEANS — defined once, here. `contributions(record)` says which counters one
 * stored record adds to. The stream aggregator applies contributions(new) − contributions(old)
 * for every write; the reconciler sums contributions(record) over all records. Nothing else
 * defines a counter.
 *
 * Counter items per grid:
 * - gauges, over ACTIVE registrations only: people by flow and by the day they were last seen
 *   (one `gauges` item), and women by (flow, marital, birth date) — one `women` item per birth
 *   year, so no item outgrows DynamoDB's 400 KB however many women a grid holds. Together they
 *   make the time-dependent counters exact on the day they are read: `countersOn(fields, today,
 *   cycle)` turns the merged fields into the contract's counters for any date (a woman turning
 *   50 or a verification falling due needs no write and no nightly job).
 * - monthly flows (one item per month): registrations by arrivedOn, departures by departedOn,
 *   stale closures by closedOn (counted in the person's current grid), and verifications by
 *   verifiedOn (in the grid the verification was recorded in).
 */

/** A stored record as the table holds it (a stream image, unmarshalled). */
export type StoredRecord = Readonly<Record<string, unknown>>;

export type CounterItemRef =
  | { gridId: string; kind: 'gauges' }
  | { gridId: string; kind: 'women'; year: string }
  | { gridId: string; kind: 'month'; month: string };

/** counter item id (`<gridId>|gauges`, `<gridId>|women|YYYY`, `<gridId>|month|YYYY-MM`) → field → amount */
export type Contributions = Map<string, Map<string, number>>;

export const gaugeField = {
  flow: (flow: string) => `flow|${flow}`,
  women: (flow: string, married: boolean, birthDate: string) =>
    `women|${flow}|${married ? 'married' : 'other'}|${birthDate}`,
  lastSeen: (day: string) => `seen|${day}`,
} as const;

export const monthField = {
  registered: 'registered',
  departed: 'departed',
  closedStale: 'closedStale',
  verified: 'verified',
} as const;

export const itemId = (ref: CounterItemRef): string =>
  ref.kind === 'gauges'
    ? `${ref.gridId}|gauges`
    : ref.kind === 'women'
      ? `${ref.gridId}|women|${ref.year}`
      : `${ref.gridId}|month|${ref.month}`;

export function itemRef(id: string): CounterItemRef {
  const [gridId, kind, part] = id.split('|');
  if (!gridId) throw new Error(`bad counter item id ${id}`);
  if (kind === 'gauges') return { gridId, kind };
  if (kind === 'women' && part) return { gridId, kind, year: part };
  if (kind === 'month' && part) return { gridId, kind, month: part };
  throw new Error(`bad counter item id ${id}`);
}

export class MalformedRecordError extends Error {}

/**
 * Women are stored in one item per grid and 5-year span of birth years (1990 = 1990–1994): at
 * most 5 × 366 days × 2 flows × 2 = 7,320 fields (~250 KB), under DynamoDB's 400 KB item limit
 * however many women a grid holds, while a batch touches only a handful of such items.
 */
export function womenBucketOf(birthDate: string): string {
  const year = Number(birthDate.slice(0, 4));
  return String(year - (year % 5)).padStart(4, '0');
}

/** The fields of one counter item in a contributions map, created empty if missing. */
export function fieldsFor(c: Contributions, id: string): Map<string, number> {
  const existing = c.get(id);
  if (existing) return existing;
  const created = new Map<string, number>();
  c.set(id, created);
  return created;
}

function add(into: Contributions, ref: CounterItemRef, field: string, n: number): void {
  const fields = fieldsFor(into, itemId(ref));
  fields.set(field, (fields.get(field) ?? 0) + n);
}

const str = (r: StoredRecord, f: string): string => {
  const v = r[f];
  if (typeof v !== 'string' || v === '') throw new MalformedRecordError(`record has no ${f}`);
  return v;
};
const date = (r: StoredRecord, f: string): string => {
  const v = str(r, f);
  if (!isIsoDate(v)) throw new MalformedRecordError(`record has an invalid ${f}`);
  return v;
};
const optStr = (r: StoredRecord, f: string): string | null =>
  typeof r[f] === 'string' && r[f] !== '' ? (r[f] as string) : null;

/** Which counters one record adds to. Records that count nothing give an empty map. */
export function contributions(record: StoredRecord | undefined): Contributions {
  const out: Contributions = new Map();
  if (!record) return out;
  if (record.entity === 'person') {
    const gridId = str(record, 'gridId');
    const status = str(record, 'status');
    const flow = str(record, 'flow');
    const arrivedOn = date(record, 'arrivedOn');
    add(out, { gridId, kind: 'month', month: monthOf(arrivedOn) }, monthField.registered, 1);
    if (status === 'active') {
      const gauges = { gridId, kind: 'gauges' } as const;
      add(out, gauges, gaugeField.flow(flow), 1);
      if (str(record, 'sex') === 'female') {
        const birthDate = date(record, 'birthDate');
        add(
          out,
          { gridId, kind: 'women', year: womenBucketOf(birthDate) },
          gaugeField.women(flow, record.maritalStatus === 'married', birthDate),
          1,
        );
      }
      add(
        out,
        gauges,
        gaugeField.lastSeen(
          optStr(record, 'lastVerifiedOn') === null ? arrivedOn : date(record, 'lastVerifiedOn'),
        ),
        1,
      );
    } else if (status === 'departed') {
      add(out, { gridId, kind: 'month', month: monthOf(date(record, 'departedOn')) }, monthField.departed, 1);
    } else if (status === 'closed') {
      add(
        out,
        { gridId, kind: 'month', month: monthOf(date(record, 'closedOn')) },
        monthField.closedStale,
        1,
      );
    } else {
      throw new MalformedRecordError(`unknown status ${status}`);
    }
  } else if (record.entity === 'history' && record.action === 'verified') {
    add(
      out,
      { gridId: str(record, 'gridId'), kind: 'month', month: monthOf(date(record, 'verifiedOn')) },
      monthField.verified,
      1,
    );
  }
  return out;
}

/** contributions(new) − contributions(old), without zero entries: what one write changes. */
export function delta(
  oldRecord: StoredRecord | undefined,
  newRecord: StoredRecord | undefined,
): Contributions {
  const out = contributions(newRecord);
  for (const [id, fields] of contributions(oldRecord)) {
    const target = fieldsFor(out, id);
    for (const [field, n] of fields) target.set(field, (target.get(field) ?? 0) - n);
  }
  return prune(out);
}

/** Sum several contribution maps (a batch collapsed to one delta per counter item). */
export function sum(parts: Iterable<Contributions>): Contributions {
  const out: Contributions = new Map();
  for (const part of parts) {
    for (const [id, fields] of part) {
      const target = fieldsFor(out, id);
      for (const [field, n] of fields) target.set(field, (target.get(field) ?? 0) + n);
    }
  }
  return prune(out);
}

export function prune(c: Contributions): Contributions {
  for (const [id, fields] of c) {
    for (const [field, n] of fields) if (n === 0) fields.delete(field);
    if (fields.size === 0) c.delete(id);
  }
  return c;
}

/** The contract's counters of one grid (or a sum of grids). */
export interface Counters {
  floatingPopulation: number;
  inflow: number;
  outflow: number;
  inflowWomenOfChildbearingAge: number;
  outflowWomenOfChildbearingAge: number;
  inflowMarriedWomenOfChildbearingAge: number;
  outflowMarriedWomenOfChildbearingAge: number;
  verificationDue: number;
}

export const zeroCounters = (): Counters => ({
  floatingPopulation: 0,
  inflow: 0,
  outflow: 0,
  inflowWomenOfChildbearingAge: 0,
  outflowWomenOfChildbearingAge: 0,
  inflowMarriedWomenOfChildbearingAge: 0,
  outflowMarriedWomenOfChildbearingAge: 0,
  verificationDue: 0,
});

/**
 * Read the gauges on `today`: women aged 15–49 inclusive on that day (ages in the tenant's time
 * zone) and people last seen more than `verificationCycleDays` ago.
 */
export function countersOn(
  gauges: ReadonlyMap<string, number>,
  today: string,
  verificationCycleDays: number,
): Counters {
  const c = zeroCounters();
  const { bornAfter, bornOnOrBefore } = childbearingBirthRange(today);
  const dueBefore = overdueBefore(today, verificationCycleDays);
  for (const [field, n] of gauges) {
    const [kind, a, b, day] = field.split('|');
    if (kind === 'flow' && a === 'inflow') c.inflow += n;
    else if (kind === 'flow' && a === 'outflow') c.outflow += n;
    else if (kind === 'women' && day && day > bornAfter && day <= bornOnOrBefore) {
      if (a === 'inflow') {
        c.inflowWomenOfChildbearingAge += n;
        if (b === 'married') c.inflowMarriedWomenOfChildbearingAge += n;
      } else if (a === 'outflow') {
        c.outflowWomenOfChildbearingAge += n;
        if (b === 'married') c.outflowMarriedWomenOfChildbearingAge += n;
      }
    } else if (kind === 'seen' && a && a < dueBefore) c.verificationDue += n;
  }
  c.floatingPopulation = c.inflow + c.outflow;
  return c;
}

export function addCounters(into: Counters, more: Counters): Counters {
  for (const k of Object.keys(into) as (keyof Counters)[]) into[k] += more[k];
  return into;
}

export interface MonthFlows {
  month: string;
  registered: number;
  departed: number;
  closedStale: number;
  verified: number;
  writeOffRate: number | null;
}

/** Monthly flows for every month from..to (inclusive), summing the given month items. */
export function monthlyFlows(
  from: string,
  to: string,
  months: Iterable<{ month: string; fields: ReadonlyMap<string, number> }>,
): MonthFlows[] {
  const byMonth = new Map(
    monthsBetween(from, to).map((m) => [m, { registered: 0, departed: 0, closedStale: 0, verified: 0 }]),
  );
  for (const { month, fields } of months) {
    const row = byMonth.get(month);
    if (!row) continue;
    row.registered += fields.get(monthField.registered) ?? 0;
    row.departed += fields.get(monthField.departed) ?? 0;
    row.closedStale += fields.get(monthField.closedStale) ?? 0;
    row.verified += fields.get(monthField.verified) ?? 0;
  }
  return [...byMonth].map(([month, r]) => ({
    month,
    ...r,
    writeOffRate: r.departed + r.closedStale === 0 ? null : r.departed / (r.departed + r.closedStale),
  }));
}
