import { useEffect, useState } from 'preact/hooks';
import { api } from '../../core/api';
import { useSession } from '../../core/session';
import type { Grid } from '../../core/types';

let cache: { tenantKey: string; grids: Promise<Grid[]> } | undefined;
const listeners = new Set<() => void>();

/** The grids in the key's scope (GET /v1/grids answers with exactly those). */
export function loadGrids(tenantKey: string, fresh = false): Promise<Grid[]> {
  if (fresh || !cache || cache.tenantKey !== tenantKey) {
    const grids = api<{ items: Grid[] }>('GET', '/v1/grids').then((page) =>
      [...page.items].sort((a, b) => a.community.localeCompare(b.community) || a.name.localeCompare(b.name)),
    );
    grids.catch(() => {
      if (cache?.grids === grids) cache = undefined;
    });
    cache = { tenantKey, grids };
  }
  return cache.grids;
}

/** After creating a grid: every page showing grids reloads them. */
export function invalidateGrids(): void {
  cache = undefined;
  for (const l of listeners) l();
}

export function useGrids(): { grids: Grid[] | undefined; byId: Map<string, Grid>; error: unknown } {
  const { me } = useSession();
  const tenantKey = me ? `${me.tenantId}/${me.keyId}` : '';
  const [state, setState] = useState<{ grids?: Grid[]; error?: unknown }>({});
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    return () => listeners.delete(l);
  }, []);
  useEffect(() => {
    if (!tenantKey) return;
    let live = true;
    loadGrids(tenantKey).then(
      (grids) => live && setState({ grids }),
      (error: unknown) => live && setState({ error }),
    );
    return () => {
      live = false;
    };
  }, [tenantKey, tick]);
  return {
    grids: state.grids,
    byId: new Map((state.grids ?? []).map((g) => [g.gridId, g])),
    error: state.error,
  };
}

/** `Grid 3 · Xinhua Community` */
export function gridLabel(grid: Grid | undefined, fallback: string): string {
  return grid ? `${grid.name} · ${grid.community}` : fallback;
}
