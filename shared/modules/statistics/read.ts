import type { Principal } from '../../platform/access/principal.js';
import { inScope } from '../../platform/access/scope.js';
import type { CounterPlugin, ReadContext } from '../../platform/counting.js';
import { monthsBetween } from '../../platform/dates.js';
import { gridInScope, gridsInScope } from '../grids/use-cases.js';
import { workspaceOf } from '../tenants/use-cases.js';
import type { CountingEngine } from './engine.js';
import { counterRepository, type StoredCounterItem } from './repository/counters.js';

/**
 * Reading the statistics: the counter items the stream keeps, turned into the numbers each
 * module reports. Time-dependent numbers are evaluated on the tenant's today at request time.
 */
type Numbers = Record<string, number>;
type Derived = Record<string, number | null>;

/** A grid's gauge items → every module's reported numbers (zeros for a module with no items yet). */
function readGauges(
  plugins: readonly CounterPlugin[],
  items: readonly StoredCounterItem[],
  at: ReadContext,
): Numbers {
  const out: Numbers = {};
  for (const plugin of plugins) {
    const merged = new Map<string, number>();
    for (const item of items) {
      if (item.ref.module !== plugin.module) continue;
      for (const [f, n] of item.fields) merged.set(f, (merged.get(f) ?? 0) + n);
    }
    Object.assign(out, plugin.read(merged, at));
  }
  return out;
}

const addInto = (into: Numbers, more: Numbers): Numbers => {
  for (const [k, v] of Object.entries(more)) into[k] = (into[k] ?? 0) + v;
  return into;
};

const derived = (plugins: readonly CounterPlugin[], counts: Numbers): Derived =>
  Object.assign({}, ...plugins.map((p) => p.derive?.(counts) ?? {}));

/** The zero of every module's numbers (what a grid with no counter items reads). */
const zeros = (plugins: readonly CounterPlugin[], at: ReadContext): Numbers => readGauges(plugins, [], at);

/** Every grid in the key's scope with its numbers, and the totals over them. */
export async function statsOfScope(principal: Principal, engine: CountingEngine) {
  const workspace = workspaceOf(principal);
  const at = { today: workspace.today, settings: workspace.settings };
  // Two requests whatever the number of grids: the grids, and every grid's gauge items.
  const [grids, all] = await Promise.all([
    gridsInScope(principal),
    counterRepository(principal).allGaugeItems(),
  ]);
  const byGrid = Map.groupBy(all, (item) => item.ref.gridId);
  const totals = zeros(engine.plugins, at);
  const rows = grids.map((g) => {
    const numbers = readGauges(engine.plugins, byGrid.get(g.gridId) ?? [], at);
    addInto(totals, numbers);
    return {
      gridId: g.gridId,
      name: g.name,
      community: g.community,
      ...numbers,
      ...derived(engine.plugins, numbers),
    };
  });
  return { asOf: workspace.today, totals: { ...totals, ...derived(engine.plugins, totals) }, grids: rows };
}

/** One grid's numbers (404 unknown, 403 out of scope). */
export async function statsOfGrid(principal: Principal, engine: CountingEngine, gridId: string | undefined) {
  const grid = await gridInScope(principal, gridId);
  const workspace = workspaceOf(principal);
  const at = { today: workspace.today, settings: workspace.settings };
  const numbers = readGauges(engine.plugins, await counterRepository(principal).gaugeItems(grid.gridId), at);
  return { gridId: grid.gridId, asOf: workspace.today, ...numbers, ...derived(engine.plugins, numbers) };
}

/** Monthly flows for every month from..to (inclusive), summed over one grid or every grid in scope. */
export async function monthlyStats(
  principal: Principal,
  engine: CountingEngine,
  query: { from: string; to: string; gridId?: string },
) {
  // One grid (404 unknown, 403 out of scope), or every grid in the key's scope: one Query of the
  // tenant's month items either way (a grid-scoped key keeps only its grids' items).
  if (query.gridId !== undefined) await gridInScope(principal, query.gridId);
  const found = await counterRepository(principal).monthItems({
    from: query.from,
    to: query.to,
    ...(query.gridId !== undefined ? { gridId: query.gridId } : {}),
  });
  const items = found.filter((item) => inScope(principal, item.ref.gridId));
  return { months: monthlyFlows(engine.plugins, { from: query.from, to: query.to, items }) };
}

/** Sum month items into one row per month, with every module's month fields and derived rates. */
export function monthlyFlows(
  plugins: readonly CounterPlugin[],
  input: { from: string; to: string; items: readonly StoredCounterItem[] },
): (Record<string, number | null> & { month: string })[] {
  const fieldsOf = new Map(plugins.map((p) => [p.module, new Set(p.monthFields)]));
  const rows = new Map<string, Numbers>(
    monthsBetween(input.from, input.to).map((m) => [
      m,
      Object.fromEntries(plugins.flatMap((p) => p.monthFields.map((f) => [f, 0]))),
    ]),
  );
  for (const item of input.items) {
    if (item.ref.kind !== 'month') continue;
    const row = rows.get(item.ref.month);
    const known = fieldsOf.get(item.ref.module);
    if (!row || !known) continue;
    for (const [f, n] of item.fields) if (known.has(f)) row[f] = (row[f] ?? 0) + n;
  }
  return [...rows].map(([month, row]) => ({
    month,
    ...row,
    ...Object.assign({}, ...plugins.map((p) => p.deriveMonth?.(row) ?? {})),
  }));
}
