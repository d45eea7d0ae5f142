/**
 * Calendar helpers on ISO date strings (`YYYY-MM-DD`) and months (`YYYY-MM`).
 *
 * All arithmetic is done on day numbers of the proleptic Gregorian calendar, never on local
 * `Date` objects, so results do not depend on the machine's time zone. Years 0000–9999 only.
 * Helpers that take a date throw a `RangeError` when it is not a valid ISO date: a malformed
 * date reaching them is a programming error, validate user input with `isIsoDate` first.
 *
 * Feb 29 rule: a date that falls on Feb 29 moves to Feb 28 in a year without one. So
 * `addYears('2000-02-29', 1)` is `2001-02-28`, and someone born on 2000-02-29 has a
 * birthday on Feb 28 in common years: they turn 18 on 2018-02-28. `ageOn` is defined from
 * `addYears`, so `ageOn(b, d) >= n` iff `d >= addYears(b, n)` for every date and every n.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const MIN_YEAR = 0;
const MAX_YEAR = 9999;

interface Ymd {
  y: number;
  m: number;
  d: number;
}

/** Whether `year` has a Feb 29 (Gregorian rule). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function splitDate(s: string): Ymd | undefined {
  const match = ISO_DATE.exec(s);
  if (!match) return undefined;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return { y, m, d };
}

function parseDate(s: string, name = 'date'): Ymd {
  const ymd = typeof s === 'string' ? splitDate(s) : undefined;
  if (!ymd) throw new RangeError(`${name} must be a real calendar date as YYYY-MM-DD, got ${String(s)}`);
  return ymd;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatDate({ y, m, d }: Ymd): string {
  if (y < MIN_YEAR || y > MAX_YEAR) throw new RangeError(`year ${y} is outside ${MIN_YEAR}–${MAX_YEAR}`);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

function assertInteger(n: number, name: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${name} must be an integer, got ${n}`);
}

/** Day number of a civil date (0 = 1970-01-01); H. Hinnant's days_from_civil. */
function toDayNumber({ y, m, d }: Ymd): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date of a day number; H. Hinnant's civil_from_days. */
function fromDayNumber(n: number): Ymd {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar date (`YYYY-MM-DD`) at instant `now` in the IANA time zone `timeZone`. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone: ${timeZone}`);
  const parts = formatterFor(timeZone).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  return formatDate({ y: part('year'), m: part('month'), d: part('day') });
}

/**
 * The canonical IANA name of a time zone (`asia/shanghai` → `Asia/Shanghai`, the link
 * `Asia/Chongqing` → `Asia/Shanghai`), or undefined when `tz` is not an IANA name this runtime
 * knows — including UTC offsets such as `+08:00`, which name no zone's rules.
 */
export function canonicalTimeZone(tz: string): string | undefined {
  if (typeof tz !== 'string' || !/^[A-Za-z]/.test(tz) || !isValidTimeZone(tz)) return undefined;
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  return /^[A-Za-z]/.test(canonical) ? canonical : undefined;
}

/** Whether `tz` is an IANA time zone name this runtime knows (e.g. `Asia/Shanghai`). */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Whether `s` is exactly `YYYY-MM-DD` and a real calendar date (leap years respected). */
export function isIsoDate(s: string): boolean {
  return typeof s === 'string' && splitDate(s) !== undefined;
}

/** `date` moved by `days` (may be negative). */
export function addDays(date: string, days: number): string {
  assertInteger(days, 'days');
  return formatDate(fromDayNumber(toDayNumber(parseDate(date)) + days));
}

/** Number of days from `from` to `to` (`to − from`; negative if `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(parseDate(to, 'to')) - toDayNumber(parseDate(from, 'from'));
}

/** `date` moved by `years` (may be negative); Feb 29 becomes Feb 28 in a common year. */
export function addYears(date: string, years: number): string {
  assertInteger(years, 'years');
  const { y, m, d } = parseDate(date);
  const year = y + years;
  return formatDate({ y: year, m, d: Math.min(d, daysInMonth(year, m)) });
}

/**
 * Completed years of age on `on` for someone born on `birthDate`: the largest n with
 * `addYears(birthDate, n) <= on` (so a Feb 29 birthday is Feb 28 in common years).
 * Negative when `on` is before `birthDate` (−1 from the day before birth).
 */
export function ageOn(birthDate: string, on: string): number {
  const birth = parseDate(birthDate, 'birthDate');
  const day = parseDate(on, 'on');
  const age = day.y - birth.y;
  return addYears(birthDate, age) > on ? age - 1 : age;
}

/**
 * The latest birth date of someone at least `age` years old on `on`: `ageOn(b, on) >= age`
 * iff `b <= latestBirthDateForAge(on, age)`.
 */
export function latestBirthDateForAge(on: string, age: number): string {
  assertInteger(age, 'age');
  parseDate(on, 'on');
  // addYears(b, age) is non-decreasing in b, so step forward from the naive candidate.
  let latest = addYears(on, -age);
  for (;;) {
    const next = addDays(latest, 1);
    if (addYears(next, age) > on) return latest;
    latest = next;
  }
}

/** The month (`YYYY-MM`) of an ISO date. */
export function monthOf(date: string): string {
  parseDate(date);
  return date.slice(0, 7);
}

/** Whether `s` is exactly `YYYY-MM` with a month 01–12. */
export function isIsoMonth(s: string): boolean {
  return typeof s === 'string' && ISO_MONTH.test(s);
}

function monthIndex(month: string, name: string): number {
  const match = typeof month === 'string' ? ISO_MONTH.exec(month) : null;
  if (!match) throw new RangeError(`${name} must be a month as YYYY-MM, got ${String(month)}`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

/** Every month from `from` to `to`, both included; empty if `from` is after `to`. */
export function monthsBetween(from: string, to: string): string[] {
  const start = monthIndex(from, 'from');
  const end = monthIndex(to, 'to');
  const months: string[] = [];
  for (let i = start; i <= end; i++) {
    months.push(`${pad(Math.floor(i / 12), 4)}-${pad((i % 12) + 1, 2)}`);
  }
  return months;
}

/** Childbearing age, in completed years, both bounds included. */
export const CHILDBEARING_MIN_AGE = 15;
export const CHILDBEARING_MAX_AGE = 49;

/**
 * Birth dates of women of childbearing age (15–49 inclusive) on `on`, as an interval:
 * `bornAfter < b <= bornOnOrBefore` iff `15 <= ageOn(b, on) <= 49`. `bornAfter` is the
 * latest birth date of a woman already 50; `bornOnOrBefore` the latest of one already 15.
 */
export function childbearingBirthRange(on: string): { bornAfter: string; bornOnOrBefore: string } {
  return {
    bornAfter: latestBirthDateForAge(on, CHILDBEARING_MAX_AGE + 1),
    bornOnOrBefore: latestBirthDateForAge(on, CHILDBEARING_MIN_AGE),
  };
}
