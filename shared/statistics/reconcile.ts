import { type Contributions, contributions, fieldsFor, itemRef, sum } from '../domain/counters.js';
import { newId } from '../ids.js';
import { counterRepository } from '../table/counters.js';
import { gridRecords } from '../table/grid-records.js';
import { gridRepository } from '../table/grids.js';
import type { TenantContext } from '../table/keys.js';
import { type ReconciliationRun, reconciliationRepository } from '../table/reconciliations.js';

export interface GridReconciliation {
  recordsRead: number;
  countersChecked: number;
  driftFound: number;
  driftRepaired: number;
  skipped: boolean;
}

export interface ReconcileOptions {
  /** Drift must persist this long before it is repaired (lets in-flight stream deltas land). */
  settleMs: number;
  /** Stop starting new grids when less than this remains (checkpoint, resume later). */
  shouldStop: () => boolean;
}

type Snapshot = Map<string, { fields: Map<string, number>; revision: number | undefined }>;

/** All counter items of a grid as stored now (gauges + every month), strongly consistent. */
async function storedCounters(t: TenantContext, gridId: string): Promise<Snapshot> {
  const counters = counterRepository(t);
  const snapshot: Snapshot = new Map();
  const gauges = await counters.gauges(gridId, true);
  snapshot.set(`${gridId}|gauges`, gauges);
  for (const m of await counters.months(gridId, '0000-01', '9999-12', true)) {
    snapshot.set(`${gridId}|month|${m.month}`, { fields: m.fields, revision: m.revision });
  }
  return snapshot;
}

/** What the counters of a grid must be: the sum of contributions over its records. */
async function expectedCounters(
  t: TenantContext,
  gridId: string,
): Promise<{ expected: Contributions; recordsRead: number }> {
  const parts: Contributions[] = [];
  let recordsRead = 0;
  for await (const page of gridRecords(t, gridId)) {
    recordsRead += page.length;
    parts.push(sum(page.map((r) => contributions(r))));
  }
  return { expected: sum(parts), recordsRead };
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
    if (zeros.length > 0 && revision !== undefined) await counters.compact(itemRef(id), zeros, revision);
  }
}

/**
 * Reconcile one grid: recompute its counters from the records and compare. Drift is repaired
 * only if it is still there, unchanged, after `settleMs` (so a delta still on its way through
 * the stream is not mistaken for drift), and each repair ADDs the difference on the condition
 * that the counter item's revision is the one compared — a concurrent stream update wins and
 * the grid is simply checked again next run.
 */
export async function reconcileGrid(
  t: TenantContext,
  gridId: string,
  settleMs: number,
): Promise<GridReconciliation> {
  const first = await expectedCounters(t, gridId);
  const firstStored = await storedCounters(t, gridId);
  const firstDiff = difference(first.expected, firstStored);
  const result: GridReconciliation = {
    recordsRead: first.recordsRead,
    countersChecked: firstDiff.checked,
    driftFound: 0,
    driftRepaired: 0,
    skipped: false,
  };
  if (firstDiff.diff.size === 0) {
    await compactZeros(t, firstStored);
    return result;
  }

  if (settleMs > 0) await new Promise((r) => setTimeout(r, settleMs));
  const second = await expectedCounters(t, gridId);
  const stored = await storedCounters(t, gridId);
  const { diff } = difference(second.expected, stored);
  result.recordsRead += second.recordsRead;
  if (!sameDiff(diff, firstDiff.diff)) {
    // Still moving: leave it to the next run rather than repair against a moving target.
    result.skipped = true;
    return result;
  }
  const counters = counterRepository(t);
  for (const [id, fields] of diff) {
    result.driftFound += fields.size;
    if (await counters.repair(itemRef(id), fields, stored.get(id)?.revision))
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
  const run: ReconciliationRun = checkpoint?.run ?? {
    runId: newId.run(),
    startedAt: new Date().toISOString(),
    finishedAt: null,
    recordsRead: 0,
    countersChecked: 0,
    driftFound: 0,
    driftRepaired: 0,
    gridsChecked: 0,
    gridsSkipped: 0,
  };
  const grids = (await gridRepository(t).list()).map((g) => g.gridId);
  const lastDone = checkpoint?.lastGridId ?? null;
  for (const gridId of grids) {
    if (lastDone !== null && gridId <= lastDone) continue;
    if (options.shouldStop()) {
      await runs.saveRun(run);
      return { run, complete: false };
    }
    const r = await reconcileGrid(t, gridId, options.settleMs);
    run.recordsRead += r.recordsRead;
    run.countersChecked += r.countersChecked;
    run.driftFound += r.driftFound;
    run.driftRepaired += r.driftRepaired;
    if (r.skipped) run.gridsSkipped++;
    else run.gridsChecked++;
    await runs.saveCheckpoint({ run, lastGridId: gridId });
  }
  run.finishedAt = new Date().toISOString();
  await runs.saveRun(run);
  await runs.clearCheckpoint();
  return { run, complete: true };
}
