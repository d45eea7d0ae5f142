import type { CounterItemRef } from '../../platform/counting.js';
import {
  type ItemKey,
  isTenantKey,
  type TenantContext,
  tenantPk,
} from '../../platform/table/tenant-context.js';

/**
 * The statistics module's key strings: THE encoding of a counter item's key (and its decoding),
 * dedupe markers and reconciliation runs. Counter items live in two partitions per tenant, so
 * the statistics of every grid are one Query:
 * - gauge items: `TENANT#<t>#GAUGES` / `<gridId>#<module>` or `<gridId>#<module>#<bucket>`;
 * - month items: `TENANT#<t>#MONTHS` / `<yyyy-mm>#<gridId>#<module>` (a range of months is one Query).
 */
const gaugesPk = (t: TenantContext) => `${tenantPk(t)}#GAUGES`;
const monthsPk = (t: TenantContext) => `${tenantPk(t)}#MONTHS`;

export const statisticsKeys = {
  counterItem(t: TenantContext, ref: CounterItemRef): ItemKey {
    if (ref.kind === 'gauge') {
      const bucket = ref.bucket === '' ? '' : `#${ref.bucket}`;
      return { pk: gaugesPk(t), sk: `${ref.gridId}#${ref.module}${bucket}` };
    }
    return { pk: monthsPk(t), sk: `${ref.month}#${ref.gridId}#${ref.module}` };
  },

  /** The counter item a stored item's key names (undefined: not a counter item). */
  counterRefOf(key: ItemKey): CounterItemRef | undefined {
    const parts = key.sk.split('#');
    if (key.pk.endsWith('#GAUGES')) {
      const [gridId, module, bucket, extra] = parts;
      if (!gridId || !module || extra !== undefined) return undefined;
      return { module, gridId, kind: 'gauge', bucket: bucket ?? '' };
    }
    if (key.pk.endsWith('#MONTHS')) {
      const [month, gridId, module, extra] = parts;
      if (!month || !gridId || !module || extra !== undefined) return undefined;
      return { module, gridId, kind: 'month', month };
    }
    return undefined;
  },

  gauges: (t: TenantContext) => ({ pk: gaugesPk(t), gridPrefix: (gridId: string) => `${gridId}#` }),
  months: (t: TenantContext) => ({
    pk: monthsPk(t),
    range: (from: string, to: string) => ({ from: `${from}#`, to: `${to}#~` }),
  }),

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
