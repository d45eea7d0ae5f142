/**
 * The local EventBridge Scheduler: fires each schedule of THE schedule list (shared/app)
 * daily at its `at` time in its IANA `timeZone`, with an EventBridge Scheduler-shaped event.
 * Runs of one schedule never overlap; a run that throws is logged and the schedule goes on.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { Cron } from 'croner';
import type { ScheduleDefinition } from '../../shared/platform/module.js';

export type ScheduleInput = ScheduleDefinition['input'];
export type LocalScheduledEvent = ScheduledEvent<ScheduleInput>;

export interface SchedulerOptions {
  schedules: readonly ScheduleDefinition[];
  invoke: (schedule: ScheduleDefinition, event: LocalScheduledEvent) => Promise<void>;
  now?: () => Date;
  log?: (msg: string) => void;
  /** Injectable timers (tests). Default: setTimeout/clearTimeout, unref'd. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** How long `stop()` waits for runs in flight (default 5000 ms). */
  stopTimeoutMs?: number;
}

const LOCAL_ACCOUNT = '000000000000';
const localRegion = (): string => process.env.AWS_REGION ?? 'local';

/** The EventBridge Scheduler event a schedule's handler receives for the run at `time`. */
export function scheduledEvent(schedule: ScheduleDefinition, time: Date): LocalScheduledEvent {
  const region = localRegion();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: LOCAL_ACCOUNT,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:scheduler:${region}:${LOCAL_ACCOUNT}:schedule/default/${schedule.name}`],
    detail: schedule.input,
  };
}

/**
 * The first daily run of `schedule` strictly after `after`: `at` local time in `timeZone`, as
 * computed by croner (cron `minute hour * * *`). Across DST changes croner follows Vixie cron for
 * such fixed-time jobs: a local time that happens twice (clocks going back) runs once, at its
 * first occurrence; one that does not exist (clocks going forward) runs at the first valid time
 * after the gap, on the same day (02:30 in a 02:00→03:00 gap → 03:00).
 */
export function nextRunAt(schedule: Pick<ScheduleDefinition, 'at' | 'timeZone'>, after: Date): Date {
  const { hour, minute } = schedule.at;
  const cron = new Cron(`${minute} ${hour} * * *`, { timezone: schedule.timeZone, paused: true });
  const next = cron.nextRun(after);
  if (!next) throw new Error(`no next run found for ${hour}:${minute} in ${schedule.timeZone}`);
  return next;
}

interface ScheduleState {
  schedule: ScheduleDefinition;
  timer: unknown;
  nextAt: Date | undefined;
  running: Promise<void> | undefined;
}

export class Scheduler {
  private readonly opts: SchedulerOptions;
  private readonly now: () => Date;
  private readonly log: (msg: string) => void;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly states = new Map<string, ScheduleState>();
  private started = false;

  constructor(opts: SchedulerOptions) {
    this.opts = opts;
    this.now = opts.now ?? (() => new Date());
    this.log = opts.log ?? (() => undefined);
    this.setTimer =
      opts.setTimer ??
      ((fn, ms) => {
        const t = setTimeout(fn, ms);
        t.unref();
        return t;
      });
    this.clearTimer = opts.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
    for (const schedule of opts.schedules) {
      if (this.states.has(schedule.name)) throw new Error(`duplicate schedule name ${schedule.name}`);
      this.states.set(schedule.name, { schedule, timer: undefined, nextAt: undefined, running: undefined });
    }
  }

  /** Arm every schedule for its next run. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.now();
    for (const state of this.states.values()) this.arm(state, now);
  }

  /** Disarm every schedule; waits (up to `stopTimeoutMs`) for runs in flight. */
  async stop(): Promise<void> {
    this.started = false;
    for (const state of this.states.values()) {
      if (state.timer !== undefined) this.clearTimer(state.timer);
      state.timer = undefined;
      state.nextAt = undefined;
    }
    const running = [...this.states.values()].flatMap((s) => (s.running ? [s.running] : []));
    if (running.length === 0) return;
    const limit = this.opts.stopTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      Promise.all(running).then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), limit);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) this.log(`scheduler: stopped with ${running.length} run(s) still in flight`);
  }

  /** When each armed schedule fires next. */
  nextRuns(): Record<string, Date | undefined> {
    return Object.fromEntries([...this.states].map(([name, s]) => [name, s.nextAt]));
  }

  /**
   * Run a schedule now (on demand), with the same event shape and the same no-overlap rule:
   * resolves to false, without running, when a run of it is already in flight.
   */
  async runNow(name: string): Promise<boolean> {
    const state = this.states.get(name);
    if (!state) throw new Error(`unknown schedule ${name}`);
    if (state.running) return false;
    await this.run(state, this.now());
    return true;
  }

  private arm(state: ScheduleState, after: Date): void {
    const at = nextRunAt(state.schedule, after);
    state.nextAt = at;
    const delay = Math.max(0, at.getTime() - this.now().getTime());
    state.timer = this.setTimer(() => this.fire(state, at), delay);
  }

  private fire(state: ScheduleState, scheduledAt: Date): void {
    state.timer = undefined;
    if (!this.started) return;
    if (state.running) {
      this.log(
        `schedule ${state.schedule.name}: skipped the ${scheduledAt.toISOString()} run, the previous one is still running`,
      );
    } else {
      void this.run(state, scheduledAt);
    }
    // Next occurrence strictly after this one, even if the timer fired a little early or late.
    const now = this.now();
    this.arm(state, now.getTime() > scheduledAt.getTime() ? now : scheduledAt);
  }

  private run(state: ScheduleState, time: Date): Promise<void> {
    const { schedule } = state;
    const started = Date.now();
    const running = Promise.resolve()
      .then(() => this.opts.invoke(schedule, scheduledEvent(schedule, time)))
      .catch((err: unknown) => {
        const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
        this.log(`schedule ${schedule.name}: run failed after ${Date.now() - started} ms: ${message}`);
      })
      .finally(() => {
        state.running = undefined;
      });
    state.running = running;
    return running;
  }
}
