import type { CounterItemRef } from '../../platform/counting.js';
import {
  type ItemKey,
  isTenantKey,
  type TenantContext,
  tenantPk,
} from '../../platform/table/tenant-context.js';
import { gridIndexPk } from '../grids/keys.js';

/**
 * The statistics module's key strings: THE encoding of a counter item's key (and its decoding),
 * dedupe markers and reconciliation runs. Counter items live in their grid's partition:
 * - gauge items: `COUNTERS#<module>` or `COUNTERS#<module>#<bucket>`;
 * - month items: `MONTH#<yyyy-mm>#<module>` (a range of months is one Query).
 */
const gaugePrefix = 'COUNTERS#';
const monthPrefix = 'MONTH#';

export const statisticsKeys = {
  counterItem(t: TenantContext, ref: CounterItemRef): ItemKey {
    const pk = gridIndexPk(t, ref.gridId);
    if (ref.kind === 'gauge')
      return { pk, sk: `${gaugePrefix}${ref.module}${ref.bucket === '' ? '' : `#${ref.bucket}`}` };
    return { pk, sk: `${monthPrefix}${ref.month}#${ref.module}` };
  },

  /** The counter item a stored item's sort key names (undefined: not a counter item). */
  counterRefOf(gridId: string, sk: string): CounterItemRef | undefined {
    if (sk.startsWith(gaugePrefix)) {
      const [module, bucket, extra] = sk.slice(gaugePrefix.length).split('#');
      if (!module || extra !== undefined) return undefined;
      return { module, gridId, kind: 'gauge', bucket: bucket ?? '' };
    }
    if (sk.startsWith(monthPrefix)) {
      const [month, module, extra] = sk.slice(monthPrefix.length).split('#');
      if (!month || !module || extra !== undefined) return undefined;
      return { module, gridId, kind: 'month', month };
    }
    return undefined;
  },

  gridPartition: (t: TenantContext, gridId: string): string => gridIndexPk(t, gridId),
  gaugesPrefix: gaugePrefix,
  monthRange: (from: string, to: string) => ({ from: `${monthPrefix}${from}#`, to: `${monthPrefix}${to}#~` }),

  /**
   * Dedupe marker, beside the source item in its own partition: the counters include this
   * version of that item (TTL'd after the stream's 24 h). Redeliveries of the same write find
   * it; the reconciler uses it to tell a delta still on its way from real drift.
   */
  appliedMarker(source: ItemKey, version: number): ItemKey {
    if (!isTenantKey(source.pk)) throw new Error('a marker belongs to a tenant item');
    return { pk: source.pk, sk: `APPLIED#${source.sk}#v${version}` };
  },

  reconciliationRun: (t: TenantContext, runId: string): ItemKey => ({
    pk: tenantPk(t),
    sk: `RECONCILIATION#${runId}`,
  }),
  reconciliationPrefix: 'RECONCILIATION#',
  reconciliationCheckpoint: (t: TenantContext): ItemKey => ({
    pk: tenantPk(t),
    sk: 'RECONCILIATION-CHECKPOINT',
  }),
  tenantPartition: (t: TenantContext): string => tenantPk(t),
};
