import { fieldErrors } from '../http/handler.js';
import type { Principal } from '../http/principal.js';
import { HttpProblem, problems } from '../http/problem.js';
import { logger } from '../observability.js';
import { gridRepository } from '../table/grids.js';
import { registrationBody } from './schemas.js';
import { personView, registerArrival, tenantOf } from './service.js';

/**
 * Bulk registration (offices migrating from spreadsheets): each item succeeds or fails on its
 * own, results in input order. Items run 8 at a time, but items naming the same ID number run
 * one after another in input order, so the first of two duplicates is the one registered.
 */
export async function registerBatch(
  principal: Principal,
  items: readonly unknown[],
): Promise<Record<string, unknown>[]> {
  const tenant = await tenantOf(principal);
  const grids = new Set((await gridRepository(principal).list()).map((g) => g.gridId));
  const results: Record<string, unknown>[] = new Array(items.length);
  // Items run 8 at a time, but items naming the same ID number run one after another in
  // input order, so the first of two duplicates is the one registered (the other gets 409).
  const lanes = new Map<string, number[]>();
  items.forEach((item, i) => {
    const id = (item as { idNumber?: unknown } | null)?.idNumber;
    const lane = typeof id === 'string' ? `id:${id.trim().toUpperCase()}` : `item:${i}`;
    lanes.set(lane, [...(lanes.get(lane) ?? []), i]);
  });
  const queue = [...lanes.values()];
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const i of lane) {
        const parsed = registrationBody.safeParse(items[i]);
        try {
          if (!parsed.success) throw problems.validation(fieldErrors(parsed.error));
          const person = await registerArrival(principal, tenant, parsed.data, grids);
          results[i] = { status: 201, person: personView(person, principal, false) };
        } catch (error) {
          if (!(error instanceof HttpProblem)) {
            // One item failing on our side must not abandon the others mid-write: it gets
            // its own 503 and can be sent again (with the same body it is then registered
            // or, if it was after all, a 409 naming the person).
            logger.error('batch item failed', error as Error);
            results[i] = {
              status: 503,
              errors: [{ path: '', message: 'temporarily failed; send this item again' }],
            };
            continue;
          }
          const problem = error.body();
          results[i] = {
            status: error.status,
            errors: problem.errors ?? [{ path: '', message: problem.detail ?? problem.title }],
            ...(typeof problem.personId === 'string' ? { personId: problem.personId } : {}),
          };
        }
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return results;
}
