import { counterItemId } from '../../../platform/counting.js';
import type { TenantContext } from '../../../platform/table/tenant-context.js';
import { counterRepository } from '../../statistics/repository/counters.js';
import { houseGaugeRef, occupantsOf } from '../counters.js';
import type { House } from '../rules/house.js';

/**
 * How many people live in each house, from the stream-kept housing counters (docs/housing.md,
 * "Occupancy"): one BatchGet of the gauge buckets the houses' fields are in, however many houses
 * (a page of a list reads its buckets once, not once per house).
 */
export async function occupancyOf(
  t: TenantContext,
  houses: readonly Pick<House, 'houseId' | 'gridId'>[],
): Promise<Map<string, number>> {
  const refs = new Map(
    houses.map((h) => houseGaugeRef(h.gridId, h.houseId)).map((r) => [counterItemId(r), r]),
  );
  const items = await counterRepository(t).itemsOf([...refs.values()]);
  const byId = new Map(items.map((item) => [counterItemId(item.ref), item.fields]));
  return new Map(
    houses.map((h) => [
      h.houseId,
      occupantsOf(byId.get(counterItemId(houseGaugeRef(h.gridId, h.houseId))) ?? new Map(), h.houseId),
    ]),
  );
}
