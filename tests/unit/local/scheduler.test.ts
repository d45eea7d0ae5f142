import { describe, expect, it } from 'vitest';
import {
  type LocalScheduledEvent,
  nextRunAt,
  Scheduler,
  scheduledEvent,
} from '../../../infra/local/scheduler.js';
import { schedules } from '../../../shared/app/index.js';
import type { ScheduleDefinition } from '../../../shared/platform/module.js';

const schedule = (at: { hour: number; minute: number }, timeZone: string): ScheduleDefinition => ({
  name: 'test-job',
  entry: 'functions/schedules/test-job.ts',
  description: 'test',
  at,
  timeZone,
  timeoutSeconds: 60,
  tableAccess: 'read',
  resumable: false,
  input: { dryRun: false },
});

const iso = (d: Date) => d.toISOString();

describe('nextRunAt', () => {
  it('Asia/Shanghai (UTC+8, no DST): 00:30 local is 16:30 UTC the day before', () => {
    const s = schedule({ hour: 0, minute: 30 }, 'Asia/Shanghai');
    // 2024-03-10 16:00Z = 2024-03-11 00:00 in Shanghai → today's 00:30 is still ahead.
    expect(iso(nextRunAt(s, new Date('2024-03-10T16:00:00Z')))).toBe('2024-03-10T16:30:00.000Z');
    // Exactly at the run time → the next day's.
    expect(iso(nextRunAt(s, new Date('2024-03-10T16:30:00Z')))).toBe('2024-03-11T16:30:00.000Z');
    // Just before midnight UTC, which is already 07:59 in Shanghai.
    expect(iso(nextRunAt(s, new Date('2024-03-10T23:59:00Z')))).toBe('2024-03-11T16:30:00.000Z');
    // Across a year end.
    expect(iso(nextRunAt(s, new Date('2024-12-31T17:00:00Z')))).toBe('2025-01-01T16:30:00.000Z');
  });

  it('the real schedules fire at their Shanghai times', () => {
    const after = new Date('2024-06-01T12:00:00Z'); // 20:00 in Shanghai
    const runs = Object.fromEntries(schedules.map((s) => [s.name, iso(nextRunAt(s, after))]));
    expect(runs).toEqual({
      'close-stale-registrations': '2024-06-01T16:30:00.000Z',
      'flag-expiring-letters': '2024-06-01T17:00:00.000Z',
      'reconcile-counters': '2024-06-01T18:00:00.000Z',
    });
  });

  it('UTC, around midnight', () => {
    const s = schedule({ hour: 0, minute: 0 }, 'UTC');
    expect(iso(nextRunAt(s, new Date('2024-02-28T23:59:59.999Z')))).toBe('2024-02-29T00:00:00.000Z');
    expect(iso(nextRunAt(s, new Date('2024-02-29T00:00:00.000Z')))).toBe('2024-03-01T00:00:00.000Z');
    expect(iso(nextRunAt(schedule({ hour: 23, minute: 59 }, 'UTC'), new Date('2024-02-29T23:58:00Z')))).toBe(
      '2024-02-29T23:59:00.000Z',
    );
  });

  it('Europe/Berlin follows daylight saving time', () => {
    const s = schedule({ hour: 0, minute: 30 }, 'Europe/Berlin');
    // Winter (UTC+1) and summer (UTC+2).
    expect(iso(nextRunAt(s, new Date('2024-01-15T12:00:00Z')))).toBe('2024-01-15T23:30:00.000Z');
    expect(iso(nextRunAt(s, new Date('2024-07-15T12:00:00Z')))).toBe('2024-07-15T22:30:00.000Z');
    // Spring forward on 2024-03-31 at 02:00 → 03:00: the run before is at +1, the run after at +2.
    expect(iso(nextRunAt(s, new Date('2024-03-30T12:00:00Z')))).toBe('2024-03-30T23:30:00.000Z');
    expect(iso(nextRunAt(s, new Date('2024-03-30T23:30:00Z')))).toBe('2024-03-31T22:30:00.000Z');
    // Fall back on 2024-10-27 at 03:00 → 02:00.
    expect(iso(nextRunAt(s, new Date('2024-10-26T12:00:00Z')))).toBe('2024-10-26T22:30:00.000Z');
    expect(iso(nextRunAt(s, new Date('2024-10-26T22:30:00Z')))).toBe('2024-10-27T23:30:00.000Z');
  });

  it('Europe/Berlin: a skipped local time runs right after the gap, a repeated one runs once', () => {
    const skipped = schedule({ hour: 2, minute: 30 }, 'Europe/Berlin');
    // 02:30 does not exist on 2024-03-31 (02:00 → 03:00): it runs when the gap ends, 03:00 CEST (01:00Z),
    // as Vixie cron does for fixed-time jobs; the next day is back to 02:30 CEST.
    const inGap = nextRunAt(skipped, new Date('2024-03-30T12:00:00Z'));
    expect(iso(inGap)).toBe('2024-03-31T01:00:00.000Z');
    expect(iso(nextRunAt(skipped, inGap))).toBe('2024-04-01T00:30:00.000Z');
    expect(
      iso(nextRunAt(schedule({ hour: 2, minute: 59 }, 'Europe/Berlin'), new Date('2024-03-30T12:00:00Z'))),
    ).toBe('2024-03-31T01:00:00.000Z');
    // 02:30 happens twice on 2024-10-27: first occurrence (CEST, 00:30Z), then not again that day.
    const first = nextRunAt(skipped, new Date('2024-10-26T12:00:00Z'));
    expect(iso(first)).toBe('2024-10-27T00:30:00.000Z');
    expect(iso(nextRunAt(skipped, first))).toBe('2024-10-28T01:30:00.000Z');
    // Asked between the two occurrences: the second one is not a new run.
    expect(iso(nextRunAt(skipped, new Date('2024-10-27T01:00:00Z')))).toBe('2024-10-28T01:30:00.000Z');
  });

  it('America/New_York and a half-hour zone', () => {
    expect(
      iso(nextRunAt(schedule({ hour: 0, minute: 30 }, 'America/New_York'), new Date('2024-11-03T03:00:00Z'))),
    ).toBe('2024-11-03T04:30:00.000Z');
    expect(
      iso(nextRunAt(schedule({ hour: 0, minute: 30 }, 'Asia/Kolkata'), new Date('2024-05-01T00:00:00Z'))),
    ).toBe('2024-05-01T19:00:00.000Z');
  });

  it('America/New_York: a time in the spring gap and a repeated time in the fall', () => {
    const s = schedule({ hour: 2, minute: 30 }, 'America/New_York');
    // 2024-03-10 02:00 EST → 03:00 EDT: runs at 03:00 EDT (07:00Z).
    expect(iso(nextRunAt(s, new Date('2024-03-09T12:00:00Z')))).toBe('2024-03-10T07:00:00.000Z');
    const repeated = schedule({ hour: 1, minute: 30 }, 'America/New_York');
    // 2024-11-03 01:30 happens at 05:30Z (EDT) and 06:30Z (EST): once, the first time.
    const first = nextRunAt(repeated, new Date('2024-11-02T12:00:00Z'));
    expect(iso(first)).toBe('2024-11-03T05:30:00.000Z');
    expect(iso(nextRunAt(repeated, first))).toBe('2024-11-04T06:30:00.000Z');
  });

  it.each([
    ['Asia/Shanghai', 0, 30],
    ['UTC', 0, 0],
    ['Europe/Berlin', 0, 30],
    ['Europe/Berlin', 2, 30],
    ['America/New_York', 2, 30],
    ['Australia/Lord_Howe', 2, 15], // DST moves the clock by 30 minutes
    ['Asia/Kolkata', 23, 59],
  ])('%s %d:%d runs exactly once on every local day of 2024', (timeZone, hour, minute) => {
    const s = schedule({ hour, minute }, timeZone);
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    const wall = (d: Date) => {
      const p = Object.fromEntries(local.formatToParts(d).map((x) => [x.type, x.value]));
      return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
    };
    const expected = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    const days: string[] = [];
    const offTime: string[] = [];
    let at = nextRunAt(s, new Date('2023-12-31T00:00:00Z'));
    while (wall(at).date < '2024-01-01') at = nextRunAt(s, at);
    for (; wall(at).date < '2025-01-01'; at = nextRunAt(s, at)) {
      const w = wall(at);
      days.push(w.date);
      if (w.time !== expected) offTime.push(`${w.date} ${w.time}`);
    }
    expect(days).toHaveLength(366);
    expect(new Set(days).size).toBe(366);
    // Only on a spring-forward day, when the time falls in the gap, is the run at another local time.
    const gapDays = {
      'Europe/Berlin 2:30': ['2024-03-31 03:00'],
      'America/New_York 2:30': ['2024-03-10 03:00'],
      'Australia/Lord_Howe 2:15': ['2024-10-06 02:30'],
    } as Record<string, string[]>;
    expect(offTime).toEqual(gapDays[`${timeZone} ${hour}:${minute}`] ?? []);
  });

  it('rejects an unknown time zone', () => {
    expect(() => nextRunAt(schedule({ hour: 0, minute: 30 }, 'Mars/Olympus_Mons'), new Date())).toThrow();
  });
});

describe('scheduledEvent', () => {
  it('has the EventBridge Scheduler shape', () => {
    const s = schedule({ hour: 0, minute: 30 }, 'Asia/Shanghai');
    const event = scheduledEvent(s, new Date('2024-03-10T16:30:00.000Z'));
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: expect.stringMatching(/^\d{12}$/),
      time: '2024-03-10T16:30:00Z',
      region: expect.any(String),
      resources: [expect.stringMatching(/^arn:aws:scheduler:[^:]+:\d{12}:schedule\/default\/test-job$/)],
      detail: { dryRun: false },
    });
    expect(scheduledEvent(s, new Date()).id).not.toBe(event.id);
  });
});

/** Fake clock + timers: `advance(ms)` moves time and fires due timers in order. */
function fakeTime(startIso: string) {
  let now = new Date(startIso).getTime();
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => new Date(now),
    setTimer: (fn: () => void, ms: number) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer: (handle: unknown) => {
      timers.delete(handle as number);
    },
    pending: () => timers.size,
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await flush();
      }
      now = end;
      await flush();
    },
  };
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('Scheduler', () => {
  it('invokes each schedule at its time with a scheduled event, every day', async () => {
    const clock = fakeTime('2024-03-10T16:00:00Z'); // 00:00 in Shanghai
    const calls: { name: string; event: LocalScheduledEvent; at: string }[] = [];
    const scheduler = new Scheduler({
      schedules,
      invoke: async (s, event) => {
        calls.push({ name: s.name, event, at: clock.now().toISOString() });
      },
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
    });
    scheduler.start();
    expect(scheduler.nextRuns()).toEqual({
      'close-stale-registrations': new Date('2024-03-10T16:30:00Z'),
      'flag-expiring-letters': new Date('2024-03-10T17:00:00Z'),
      'reconcile-counters': new Date('2024-03-10T18:00:00Z'),
    });
    await clock.advance(29 * 60_000);
    expect(calls).toEqual([]);
    await clock.advance(60_000);
    expect(calls.map((c) => [c.name, c.event.time])).toEqual([
      ['close-stale-registrations', '2024-03-10T16:30:00Z'],
    ]);
    expect(calls[0]?.event).toMatchObject({
      source: 'aws.scheduler',
      'detail-type': 'Scheduled Event',
      detail: {},
    });
    await clock.advance(24 * 3_600_000);
    expect(calls.map((c) => c.event.time)).toEqual([
      '2024-03-10T16:30:00Z',
      '2024-03-10T17:00:00Z',
      '2024-03-10T18:00:00Z',
      '2024-03-11T16:30:00Z',
    ]);
    await scheduler.stop();
    expect(clock.pending()).toBe(0);
    await clock.advance(7 * 24 * 3_600_000);
    expect(calls).toHaveLength(4);
  });

  it('keeps firing at local time through a DST change (Europe/Berlin, spring forward)', async () => {
    const clock = fakeTime('2024-03-29T12:00:00Z');
    const times: string[] = [];
    const scheduler = new Scheduler({
      schedules: [schedule({ hour: 0, minute: 30 }, 'Europe/Berlin')],
      invoke: async (_s, event) => {
        times.push(event.time);
      },
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
    });
    scheduler.start();
    await clock.advance(4 * 24 * 3_600_000);
    // 00:30 CET (+1) until 2024-03-31 02:00, then 00:30 CEST (+2).
    expect(times).toEqual([
      '2024-03-29T23:30:00Z',
      '2024-03-30T23:30:00Z',
      '2024-03-31T22:30:00Z',
      '2024-04-01T22:30:00Z',
    ]);
    expect(scheduler.nextRuns()).toEqual({ 'test-job': new Date('2024-04-02T22:30:00Z') });
    await scheduler.stop();
  });

  it('logs a failing run and keeps the schedule going', async () => {
    const clock = fakeTime('2024-03-10T16:00:00Z');
    const logs: string[] = [];
    let calls = 0;
    const scheduler = new Scheduler({
      schedules: [schedule({ hour: 0, minute: 30 }, 'Asia/Shanghai')],
      invoke: async () => {
        calls++;
        throw new Error('boom');
      },
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      log: (m) => logs.push(m),
    });
    scheduler.start();
    await clock.advance(3 * 24 * 3_600_000);
    expect(calls).toBe(3);
    expect(logs.filter((l) => l.includes('test-job') && l.includes('boom'))).toHaveLength(3);
    await scheduler.stop();
  });

  it('never overlaps runs of the same schedule', async () => {
    const clock = fakeTime('2024-03-10T16:00:00Z');
    const logs: string[] = [];
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const releases: (() => void)[] = [];
    const scheduler = new Scheduler({
      schedules: [schedule({ hour: 0, minute: 30 }, 'Asia/Shanghai')],
      invoke: async () => {
        calls++;
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((resolve) => releases.push(resolve));
        active--;
      },
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      log: (m) => logs.push(m),
    });
    scheduler.start();
    await clock.advance(3_600_000); // first run starts and hangs
    expect(calls).toBe(1);
    await clock.advance(24 * 3_600_000); // next day: still running → skipped
    expect(calls).toBe(1);
    expect(logs.some((l) => l.includes('skipped'))).toBe(true);
    expect(await scheduler.runNow('test-job')).toBe(false); // on demand: refused as well
    releases.shift()?.();
    await flush();
    await clock.advance(24 * 3_600_000); // free again → runs
    expect(calls).toBe(2);
    expect(maxActive).toBe(1);
    releases.shift()?.();
    await scheduler.stop();
  });

  it('stop() waits for a run in flight', async () => {
    const clock = fakeTime('2024-03-10T16:29:00Z');
    let finished = false;
    const scheduler = new Scheduler({
      schedules: [schedule({ hour: 0, minute: 30 }, 'Asia/Shanghai')],
      invoke: async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        finished = true;
      },
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
    });
    scheduler.start();
    await clock.advance(60_000);
    await scheduler.stop();
    expect(finished).toBe(true);
  });

  it('runs with real timers by default', async () => {
    const now = new Date('2024-03-10T16:29:59.950Z');
    const started = Date.now();
    const seen: string[] = [];
    const scheduler = new Scheduler({
      schedules: [schedule({ hour: 0, minute: 30 }, 'Asia/Shanghai')],
      invoke: async (_s, event) => {
        seen.push(event.time);
      },
      now: () => new Date(now.getTime() + (Date.now() - started)),
    });
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await scheduler.stop();
    expect(seen).toEqual(['2024-03-10T16:30:00Z']);
  });
});
