import { type ItemKey, type TenantContext, tenantPk } from '../../platform/table/tenant-context.js';

/** The grids module's key strings: a grid lives in its tenant's partition. */
export const gridKeys = {
  grid: (t: TenantContext, gridId: string): ItemKey => ({ pk: tenantPk(t), sk: `GRID#${gridId}` }),
  gridPrefix: 'GRID#',
  tenantPartition: (t: TenantContext): string => tenantPk(t),
};

/** The partition of the generic by-grid indexes that holds a grid's records (any module's). */
export const gridIndexPk = (t: TenantContext, gridId: string): string => `${tenantPk(t)}#GRID#${gridId}`;
