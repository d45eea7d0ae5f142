/**
 * THE stream subscription and THE schedule list. The AWS stack turns them into an event
 * source mapping and EventBridge Scheduler schedules; the local stack into a stream poller and
 * a scheduler. Nothing else declares either.
 */
export interface StreamSubscription {
  name: string;
  entry: string;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** Retries of a failing batch before it goes to the dead-letter destination. */
  retryAttempts: number;
  maxRecordAgeSeconds: number;
  bisectBatchOnError: boolean;
  /** Records reach the handler only if their NewImage matches one of these (string equality). */
  filters: readonly Readonly<Record<string, readonly string[]>>[];
}

export const statisticsSubscription = {
  name: 'statistics',
  entry: 'functions/streams/statistics.ts',
  batchSize: 100,
  maxBatchingWindowSeconds: 1,
  retryAttempts: 5,
  maxRecordAgeSeconds: 6 * 60 * 60,
  bisectBatchOnError: true,
  filters: [{ entity: ['person'] }, { entity: ['history'], action: ['verified'] }],
} as const satisfies StreamSubscription;

export interface ScheduleDefinition {
  name: string;
  entry: string;
  description: string;
  /** Daily at this local time in `timeZone`. */
  at: { hour: number; minute: number };
  timeZone: string;
  timeoutSeconds: number;
  tableAccess: 'read' | 'readWrite';
  /**
   * The handler may stop before its work is done (time budget) and report `complete: false`;
   * it is then invoked again to carry on from its checkpoint — on AWS by invoking itself
   * asynchronously, locally by the scheduler and the job runner.
   */
  resumable: boolean;
  input: Readonly<Record<string, unknown>>;
}

export const schedules = [
  {
    name: 'close-stale-registrations',
    entry: 'functions/schedules/close-stale-registrations.ts',
    description: 'Close active registrations nobody verified within the tenant’s staleAfterDays',
    at: { hour: 0, minute: 30 },
    timeZone: 'Asia/Shanghai',
    timeoutSeconds: 900,
    tableAccess: 'readWrite',
    resumable: false,
    input: {},
  },
  {
    name: 'reconcile-counters',
    entry: 'functions/schedules/reconcile-counters.ts',
    description: 'Recompute every tenant’s counters from the records and repair drift',
    at: { hour: 2, minute: 0 },
    timeZone: 'Asia/Shanghai',
    timeoutSeconds: 900,
    tableAccess: 'readWrite',
    resumable: true,
    input: {},
  },
] as const satisfies readonly ScheduleDefinition[];

export type ScheduleName = (typeof schedules)[number]['name'];

export const authorizerEntry = 'functions/auth/authorizer.ts';
