import {
  type Contributions,
  type CounterPlugin,
  countersOf,
  MalformedRecordError,
  type ReadContext,
  recordField,
  type StoredRecord,
} from '../../platform/counting.js';
import { childbearingBirthRange, monthOf } from '../../platform/dates.js';
import { overdueBefore } from './rules/person.js';

/**
 * WHAT THE PEOPLE COUNTERS MEAN — defined once, here. Per grid:
 * - gauges, over ACTIVE registrations only: people by flow and by the day they were last seen
 *   (the main gauge item), and women by (flow, marital, birth date) — one bucket per 5-year
 *   span of birth years, so no item outgrows DynamoDB's 400 KB however many women a grid
 *   holds. Together they make the time-dependent counters exact on the day they are read (a
 *   woman turning 50 or a verification falling due needs no write and no nightly job);
 * - monthly flows: registrations by arrivedOn, departures by departedOn, stale closures by
 *   closedOn (counted in the person's current grid), and verifications by verifiedOn (in the
 *   grid the verification was recorded in).
 */
const count = countersOf('people');

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

/**
 * Women are stored in one bucket per grid and 5-year span of birth years (1990 = 1990–1994): at
 * most 5 × 366 days × 2 flows × 2 = 7,320 fields (~250 KB), under DynamoDB's 400 KB item limit.
 */
export function womenBucketOf(birthDate: string): string {
  const year = Number(birthDate.slice(0, 4));
  return `women-${String(year - (year % 5)).padStart(4, '0')}`;
}

/** Which people counters one record adds to. */
export function peopleContributions(record: StoredRecord): Contributions {
  const out: Contributions = new Map();
  const { text, date, optionalText } = recordField;
  if (record.entity === 'person') {
    const gridId = text(record, 'gridId');
    const status = text(record, 'status');
    const flow = text(record, 'flow');
    const arrivedOn = date(record, 'arrivedOn');
    count.month(out, { gridId, month: monthOf(arrivedOn) }, monthField.registered);
    if (status === 'active') {
      count.gauge(out, { gridId }, gaugeField.flow(flow));
      if (text(record, 'sex') === 'female') {
        const birthDate = date(record, 'birthDate');
        count.gauge(
          out,
          { gridId, bucket: womenBucketOf(birthDate) },
          gaugeField.women(flow, record.maritalStatus === 'married', birthDate),
        );
      }
      const lastSeen =
        optionalText(record, 'lastVerifiedOn') === null ? arrivedOn : date(record, 'lastVerifiedOn');
      count.gauge(out, { gridId }, gaugeField.lastSeen(lastSeen));
    } else if (status === 'departed') {
      count.month(out, { gridId, month: monthOf(date(record, 'departedOn')) }, monthField.departed);
    } else if (status === 'closed') {
      count.month(out, { gridId, month: monthOf(date(record, 'closedOn')) }, monthField.closedStale);
    } else {
      throw new MalformedRecordError(`unknown status ${status}`);
    }
  } else if (record.entity === 'history' && record.action === 'verified') {
    count.month(
      out,
      { gridId: text(record, 'gridId'), month: monthOf(date(record, 'verifiedOn')) },
      monthField.verified,
    );
  }
  return out;
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

/** The people module's counters, plugged into the statistics engine. */
export const peopleCounters: CounterPlugin = {
  module: 'people',
  entities: ['person', 'history'],
  streamFilters: [{ entity: ['person'] }, { entity: ['history'], action: ['verified'] }],
  contributions: peopleContributions,
  fields: Object.keys(zeroCounters()),
  read: (gauges, at: ReadContext) =>
    ({ ...countersOn(gauges, at.today, at.settings.verificationCycleDays) }) as Record<string, number>,
  monthFields: Object.values(monthField),
  derivedMonthFields: ['writeOffRate'],
  deriveMonth: (row) => {
    const ended = (row.departed ?? 0) + (row.closedStale ?? 0);
    return { writeOffRate: ended === 0 ? null : (row.departed ?? 0) / ended };
  },
};
