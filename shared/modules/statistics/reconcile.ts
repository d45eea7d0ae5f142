import {
  type Contributions,
  counterItemId,
  counterItemRef,
  fieldsFor,
  MalformedRecordError,
} from '../../platform/counting.js';
import { mintId } from '../../platform/ids.js';
import type { ItemKey, TenantContext } from '../../platform/table/tenant-context.js';
import { gridRepository } from '../grids/repository.js';
import { type CountingEngine, sum } from './engine.js';
import { statisticsKeys as keys } from './keys.js';
import { counterRepository } from './repository/counters.js';
import { type ReconciliationRun, reconciliationRepository } from './repository/reconciliations.js';
import { gridRecords, missingMarkers } from './repository/records.js';

export interface GridReconciliation {
  recordsRead: number;
  countersChecked: number;
  driftFound: number;
  driftRepaired: number;
  /** Left for the next run: counters moving, or a recent write not yet applied by the stream. */
  skipped: boolean;
  /** Records that cannot be counted (logged by the caller; they count nothing). */
  malformedRecords: number;
}

export interface ReconcileOptions {
  /** The modules' counters. */
  engine: CountingEngine;
  /** Drift must persist this long before it is repaired (lets in-flight stream deltas land). */
  settleMs: number;
  /**
   * When the nightly pass began: a tenant whose run finished since then is done for this pass
   * (continuations of the pass skip it instead of starting it over).
   */
  passStartedAt?: string;
  /** Stop starting new grids when less than this remains (checkpoint, resume later). */
  shouldStop: () => boolean;
}

/**
 * Writes newer than this may still be on their way through the stream (24 h retention, plus
 * margin); older ones were applied or are lost for good — then their absence is real drift.
 */
const streamWindowMs = 26 * 60 * 60 * 1000;

type Snapshot = Map<string, { fields: Map<string, number>; revision: number | undefined }>;

/** All counter items of a grid as stored now (gauges + every month, every module), strongly consistent. */
async function storedCounters(t: TenantContext, gridId: string): Promise<Snapshot> {
  const counters = counterRepository(t);
  const snapshot: Snapshot = new Map();
  const all = [
    ...(await counters.gaugeItems(gridId, { consistent: true })),
    ...(await counters.monthItems({ from: '0000-01', to: '9999-12', gridId, consistent: true })),
  ];
  for (const item of all)
    snapshot.set(counterItemId(item.ref), { fields: item.fields, revision: item.revision });
  return snapshot;
}

interface Expected {
  expected: Contributions;
  recordsRead: number;
  malformed: number;
  /** Markers that must exist if every recent write's delta has been applied. */
  recentMarkers: ItemKey[];
}

/** What the counters of a grid must be: the sum of contributions over its records. */
async function expectedCounters(t: TenantContext, gridId: string, engine: CountingEngine): Promise<Expected> {
  const parts: Contributions[] = [];
  const recentMarkers: ItemKey[] = [];
  const recentSince = new Date(Date.now() - streamWindowMs).toISOString();
  let recordsRead = 0;
  let malformed = 0;
  for await (const page of gridRecords(t, gridId)) {
    recordsRead += page.length;
    for (const record of page) {
      try {
        parts.push(engine.contributions(record));
      } catch (error) {
        if (!(error instanceof MalformedRecordError)) throw error;
        malformed++;
        continue;
      }
      const changedAt = (record.updatedAt ?? record.at) as string | undefined;
      if (changedAt !== undefined && changedAt >= recentSince && typeof record.version === 'number') {
        recentMarkers.push(
          keys.appliedMarker({ pk: record.pk as string, sk: record.sk as string }, record.version),
        );
      }
    }
  }
  return { expected: sum(parts), recordsRead, malformed, recentMarkers };
}

/** expected − stored, per counter item and field (zeros dropped). */
function difference(expected: Contributions, stored: Snapshot): { diff: Contributions; checked: number } {
  const diff: Contributions = new Map();
  let checked = 0;
  for (const id of new Set([...expected.keys(), ...stored.keys()])) {
    const want = expected.get(id) ?? new Map<string, number>();
    const have = stored.get(id)?.fields ?? new Map<string, number>();
    for (const field of new Set([...want.keys(), ...have.keys()])) {
      checked++;
      const d = (want.get(field) ?? 0) - (have.get(field) ?? 0);
      if (d !== 0) fieldsFor(diff, id).set(field, d);
    }
  }
  return { diff, checked };
}

const sameDiff = (a: Contributions, b: Contributions) =>
  a.size === b.size &&
  [...a].every(([id, f]) => b.get(id)?.size === f.size && [...f].every(([k, v]) => b.get(id)?.get(k) === v));

/** Remove counter fields that are zero (revision-conditional: a concurrent update wins). */
async function compactZeros(t: TenantContext, stored: Snapshot): Promise<void> {
  const counters = counterRepository(t);
  for (const [id, { fields, revision }] of stored) {
    const zeros = [...fields].filter(([, n]) => n === 0).map(([f]) => f);
    if (zeros.length > 0 && revision !== undefined)
      await counters.compact(counterItemRef(id), zeros, revision);
  }
}

/**
 * Reconcile one grid: read the counters (with their revisions), then recompute them from the
 * records. A difference is repaired only if
 * - it is still there, unchanged, after `settleMs` (so it is not a moving target), and
 * - every write of the last 26 h has its applied-marker (so it is not a delta still on its way
 *   through the stream — repairing that would count it twice when it lands), and
 * - the counter item's revision is still the one read first (a conditional ADD of the
 *   difference): any stream update since then wins, and the grid is checked again next run.
 */
export async function reconcileGrid(
  t: TenantContext,
  grid: { gridId: string; settleMs: number; engine: CountingEngine },
): Promise<GridReconciliation> {
  const { gridId, settleMs, engine } = grid;
  const firstStored = await storedCounters(t, gridId);
  const first = await expectedCounters(t, gridId, engine);
  const firstDiff = difference(first.expected, firstStored);
  const result: GridReconciliation = {
    recordsRead: first.recordsRead,
    countersChecked: firstDiff.checked,
    driftFound: 0,
    driftRepaired: 0,
    skipped: false,
    malformedRecords: first.malformed,
  };
  if (firstDiff.diff.size === 0) {
    await compactZeros(t, firstStored);
    return result;
  }

  if (settleMs > 0) await new Promise((r) => setTimeout(r, settleMs));
  const stored = await storedCounters(t, gridId);
  const second = await expectedCounters(t, gridId, engine);
  const { diff } = difference(second.expected, stored);
  result.recordsRead += second.recordsRead;
  if (!sameDiff(diff, firstDiff.diff) || (await missingMarkers(second.recentMarkers)) > 0) {
    result.skipped = true;
    return result;
  }
  const counters = counterRepository(t);
  for (const [id, fields] of diff) {
    result.driftFound += fields.size;
    if (await counters.repair(counterItemRef(id), fields, stored.get(id)?.revision))
      result.driftRepaired += fields.size;
  }
  return result;
}

/**
 * Reconcile a whole tenant, one grid per chunk, resumable: after every grid the run's totals
 * and the last grid are checkpointed; when `shouldStop()` says time is running out the run
 * returns `complete: false` and the next invocation carries on from the checkpoint.
 */
export async function reconcileTenant(
  t: TenantContext,
  options: ReconcileOptions,
): Promise<{ run: ReconciliationRun; complete: boolean }> {
  const runs = reconciliationRepository(t);
  const checkpoint = await runs.checkpoint();
  if (!checkpoint && options.passStartedAt !== undefined) {
    const [latest] = await runs.list(1);
    if (latest?.finishedAt && latest.startedAt >= options.passStartedAt)
      return { run: latest, complete: true };
  }
  const run: ReconciliationRun = checkpoint?.run ?? {
    runId: mintId('r'),
    startedAt: new Date().toISOString(),
    finishedAt: null,
    recordsRead: 0,
    countersChecked: 0,
    driftFound: 0,
    driftRepaired: 0,
    gridsChecked: 0,
    gridsSkipped: 0,
    malformedRecords: 0,
  };
  const grids = (await gridRepository(t).list()).map((g) => g.gridId);
  const lastDone = checkpoint?.lastGridId ?? null;
  for (const gridId of grids) {
    if (lastDone !== null && gridId <= lastDone) continue;
    if (options.shouldStop()) {
      await runs.saveRun(run);
      return { run, complete: false };
    }
    const r = await reconcileGrid(t, { gridId, settleMs: options.settleMs, engine: options.engine });
    run.recordsRead += r.recordsRead;
    run.countersChecked += r.countersChecked;
    run.driftFound += r.driftFound;
    run.driftRepaired += r.driftRepaired;
    run.malformedRecords += r.malformedRecords;
    if (r.skipped) run.gridsSkipped++;
    else run.gridsChecked++;
    await runs.saveCheckpoint({ run, lastGridId: gridId });
  }
  run.finishedAt = new Date().toISOString();
  await runs.saveRun(run);
  await runs.clearCheckpoint();
  return { run, complete: true };
}
