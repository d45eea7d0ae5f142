import type { Principal } from '../../../platform/access/principal.js';
import { InvalidInput } from '../../../platform/errors.js';
import { logger } from '../../../platform/observability.js';
import { gridRepository } from '../../grids/repository.js';
import { workspaceOf } from '../../tenants/use-cases.js';
import type { Person } from '../rules/person.js';
import { registrationBody } from '../schemas.js';
import { registerArrival } from './register.js';

/** One item's outcome: the person, a domain error (the client's to fix), or a failure on our side. */
export type BatchOutcome = { person: Person } | { error: unknown } | { failed: true };

/**
 * Bulk registration (offices migrating from spreadsheets): each item succeeds or fails on its
 * own, outcomes in input order. Items run 8 at a time, but items naming the same ID number run
 * one after another in input order, so the first of two duplicates is the one registered.
 */
export async function registerBatch(batch: {
  principal: Principal;
  items: readonly unknown[];
  /** Which errors are the client's to fix (the rest are failures on our side). */
  isClientError: (error: unknown) => boolean;
}): Promise<BatchOutcome[]> {
  const { principal, items, isClientError } = batch;
  const workspace = workspaceOf(principal);
  const knownGrids = new Set((await gridRepository(principal).list()).map((g) => g.gridId));
  const outcomes: BatchOutcome[] = new Array(items.length);
  const lanes = new Map<string, number[]>();
  items.forEach((item, i) => {
    const id = (item as { idNumber?: unknown } | null)?.idNumber;
    const lane = typeof id === 'string' ? `id:${id.trim().toUpperCase()}` : `item:${i}`;
    lanes.set(lane, [...(lanes.get(lane) ?? []), i]);
  });
  const queue = [...lanes.values()];
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const i of lane) outcomes[i] = await registerOne(items[i]);
    }
  };
  const registerOne = async (item: unknown): Promise<BatchOutcome> => {
    const parsed = registrationBody.safeParse(item);
    try {
      if (!parsed.success) {
        throw new InvalidInput(
          parsed.error.issues.map((i) => ({
            path: i.path.map(String).join('.') || '(body)',
            message: i.message,
          })),
        );
      }
      return {
        person: await registerArrival({
          principal,
          workspace,
          body: parsed.data,
          knownGrids,
          route: 'POST /v1/people/batch',
        }),
      };
    } catch (error) {
      if (isClientError(error)) return { error };
      // One item failing on our side must not abandon the others mid-write: it gets its own
      // 503 and can be sent again (then registered or, if it was after all, a 409 naming the person).
      logger.error('batch item failed', error as Error);
      return { failed: true };
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return outcomes;
}
