import type { CounterPlugin } from '../../platform/counting.js';
import type { Module, ScheduleDefinition, StreamSubscription } from '../../platform/module.js';
import { statisticsRoutes } from './routes.js';

/** Runs `reconcileEveryTenant` (jobs.ts). */
export const reconcileSchedule = {
  name: 'reconcile-counters',
  entry: 'functions/schedules/reconcile-counters.ts',
  description: 'Recompute every tenant’s counters from the records and repair drift',
  at: { hour: 2, minute: 0 },
  timeZone: 'Asia/Shanghai',
  timeoutSeconds: 900,
  tableAccess: 'readWrite',
  // the tenant directory, grids, counters, runs and the byGrid index (Query); the checkpoint
  // (GetItem); applied-markers (BatchGetItem); runs and checkpoints (PutItem, DeleteItem);
  // counter repairs (UpdateItem)
  tableActions: [
    'dynamodb:Query',
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
  ],
  resumable: true,
  input: {},
} as const satisfies ScheduleDefinition;

/**
 * The statistics module: the engine over every other module's counter plug-in. Built by the
 * composition root from the plug-ins it finds in the modules.
 */
export function statisticsModule(plugins: readonly CounterPlugin[]): Module {
  return {
    name: 'statistics',
    http: {
      name: 'stats',
      entry: 'functions/http/stats.ts',
      description: 'statistics and reconciliation runs',
      tableAccess: 'read',
    },
    routes: Object.values(statisticsRoutes(plugins)),
    schedules: [reconcileSchedule],
    streams: [statisticsSubscription(plugins)],
    // when and which version: lets reconciliation check the stream has applied recent writes
    indexProjections: { byGrid: ['version', 'updatedAt', 'at'] },
    entities: ['counters', 'stream-marker', 'reconciliation', 'reconciliation-checkpoint'],
    keyPrefixes: ['GAUGES', 'MONTHS', 'APPLIED', 'RECONCILIATION'],
    idPrefixes: ['r'],
  };
}

/** The stream consumer that keeps the counters: every module's records its plug-ins count. */
export function statisticsSubscription(plugins: readonly CounterPlugin[]): StreamSubscription {
  return {
    name: 'statistics',
    entry: 'functions/streams/statistics.ts',
    batchSize: 100,
    maxBatchingWindowSeconds: 1,
    timeoutSeconds: 60,
    retryAttempts: 5,
    maxRecordAgeSeconds: 6 * 60 * 60,
    bisectBatchOnError: true,
    // one transaction per chunk: the applied-markers (Put) and the counter items (Update)
    tableActions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
    filters: plugins.flatMap((p) => p.streamFilters),
  };
}
