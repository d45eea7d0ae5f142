import type { Principal } from '../../../platform/access/principal.js';
import { InvalidInput } from '../../../platform/errors.js';
import { logger } from '../../../platform/observability.js';
import { gridRepository } from '../../grids/repository.js';
import { type House, normalisePlaque } from '../rules/house.js';
import { houseBody } from '../schemas.js';
import { recordHouse } from './houses.js';

/** One item's outcome: the house, a domain error (the client's to fix), or a failure on our side. */
export type BatchOutcome = { house: House } | { error: unknown } | { failed: true };

/**
 * Bulk recording of houses (offices migrating from spreadsheets), as the people registry's
 * batch: each item succeeds or fails on its own, outcomes in input order. Items run 8 at a time,
 * but items naming the same plaque run one after another in input order, so the first of two
 * duplicates is the one recorded.
 */
export async function recordBatch(batch: {
  principal: Principal;
  items: readonly unknown[];
  /** Which errors are the client's to fix (the rest are failures on our side). */
  isClientError: (error: unknown) => boolean;
  /** The batch's route (each recorded house's access entry is written with it). */
  route: string;
}): Promise<BatchOutcome[]> {
  const { principal, items, isClientError, route } = batch;
  const knownGrids = new Set((await gridRepository(principal).list()).map((g) => g.gridId));
  const outcomes: BatchOutcome[] = new Array(items.length);
  const lanes = new Map<string, number[]>();
  items.forEach((item, i) => {
    const plaque = (item as { plaque?: unknown } | null)?.plaque;
    const lane = typeof plaque === 'string' ? `plaque:${normalisePlaque(plaque)}` : `item:${i}`;
    lanes.set(lane, [...(lanes.get(lane) ?? []), i]);
  });
  const queue = [...lanes.values()];
  const recordOne = async (item: unknown): Promise<BatchOutcome> => {
    const parsed = houseBody.safeParse(item);
    try {
      if (!parsed.success) {
        throw new InvalidInput(
          parsed.error.issues.map((i) => ({
            path: i.path.map(String).join('.') || '(body)',
            message: i.message,
          })),
        );
      }
      return { house: await recordHouse({ principal, body: parsed.data, knownGrids, route }) };
    } catch (error) {
      if (isClientError(error)) return { error };
      // One item failing on our side must not abandon the others mid-write: it gets its own
      // 503 and can be sent again (then recorded or, if it was after all, a 409 naming the house).
      logger.error('batch item failed', error as Error);
      return { failed: true };
    }
  };
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const i of lane) outcomes[i] = await recordOne(items[i]);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return outcomes;
}
