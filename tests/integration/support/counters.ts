import { engine } from '../../../shared/app/index.js';
import { sum } from '../../../shared/modules/statistics/engine.js';
import { counterRepository } from '../../../shared/modules/statistics/repository/counters.js';
import { gridRecords } from '../../../shared/modules/statistics/repository/records.js';
import { type Contributions, counterItemId } from '../../../shared/platform/counting.js';
import type { world } from './world.js';

type World = Awaited<ReturnType<typeof world>>;

/** What the counters must be: the reconciler's sum of contributions over the records. */
export async function expected(w: World): Promise<Contributions> {
  const parts: Contributions[] = [];
  for (const gridId of w.grids)
    for await (const page of gridRecords(w.principal, gridId))
      parts.push(sum(page.map((r) => engine.contributions(r))));
  return sum(parts);
}

/** What the counters are. */
export async function stored(w: World): Promise<Contributions> {
  const out: Contributions = new Map();
  const repo = counterRepository(w.principal);
  for (const gridId of w.grids) {
    const items = [
      ...(await repo.gaugeItems(gridId, { consistent: true })),
      ...(await repo.monthItems({ from: '0000-01', to: '9999-12', gridId, consistent: true })),
    ];
    for (const item of items) {
      const fields = new Map([...item.fields].filter(([, n]) => n !== 0));
      if (fields.size > 0) out.set(counterItemId(item.ref), fields);
    }
  }
  for (const [id, f] of out) if (f.size === 0) out.delete(id);
  return out;
}

/** The people gauges of a grid, merged, and the main gauge item's revision. */
export async function peopleGauges(w: World, gridId: string) {
  const fields = new Map<string, number>();
  let revision: number | undefined;
  for (const item of await counterRepository(w.principal).gaugeItems(gridId, { consistent: true })) {
    if (item.ref.module !== 'people' || item.ref.kind !== 'gauge') continue;
    for (const [f, n] of item.fields) fields.set(f, (fields.get(f) ?? 0) + n);
    if (item.ref.bucket === '') revision = item.revision;
  }
  return { fields, revision };
}

export const plain = (c: Contributions) =>
  Object.fromEntries([...c].map(([id, f]) => [id, Object.fromEntries(f)]));
