import type { Principal } from '../../../../platform/access/principal.js';
import { InvalidInput } from '../../../../platform/errors.js';
import { logger } from '../../../../platform/observability.js';
import { workspaceOf } from '../../../tenants/use-cases.js';
import { letterRepository } from '../repository/index.js';
import type { Letter } from '../rules/letter.js';
import { type LetterBody, letterBody } from '../schemas.js';
import { extraLetterKinds } from './settings.js';
import { signLetter } from './sign.js';

/** One item's outcome: the letter, a domain error (the client's to fix), or a failure on our side. */
export type BatchOutcome = { letter: Letter } | { error: unknown } | { failed: true };

/**
 * Bulk recording (offices entering a stack of signed letters): each item succeeds or fails on
 * its own, outcomes in input order. The houses the items name are read once (one BatchGet per
 * 100), the township's extra kinds at most once; then one transaction per item, 8 at a time.
 */
export async function signBatch(batch: {
  principal: Principal;
  items: readonly unknown[];
  /** Which errors are the client's to fix (the rest are failures on our side). */
  isClientError: (error: unknown) => boolean;
}): Promise<BatchOutcome[]> {
  const { principal, items, isClientError } = batch;
  const workspace = workspaceOf(principal);
  const parsed = items.map((item) => letterBody.safeParse(item));
  const valid = parsed.flatMap((p) => (p.success ? [p.data] : []));
  const outcomes: BatchOutcome[] = new Array(items.length);
  let houses: Awaited<ReturnType<ReturnType<typeof letterRepository>['houses']>>;
  let extraKinds: string[];
  try {
    houses = await letterRepository(principal).houses(valid.map((b) => b.houseId));
    extraKinds = await extraLetterKinds(
      principal,
      valid.map((b) => b.kind),
    );
  } catch (error) {
    logger.error('batch lookup failed', error as Error);
    return items.map(() => ({ failed: true }));
  }

  const signOne = async (i: number): Promise<BatchOutcome> => {
    const p = parsed[i];
    try {
      if (!p?.success) {
        throw new InvalidInput(
          (p?.error.issues ?? []).map((issue) => ({
            path: issue.path.map(String).join('.') || '(body)',
            message: issue.message,
          })),
        );
      }
      return {
        letter: await signLetter({ principal, workspace, body: p.data as LetterBody, extraKinds, houses }),
      };
    } catch (error) {
      if (isClientError(error)) return { error };
      // One item failing on our side must not abandon the others: it gets its own 503.
      logger.error('batch item failed', error as Error);
      return { failed: true };
    }
  };
  const queue = items.map((_, i) => i);
  const worker = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) outcomes[i] = await signOne(i);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return outcomes;
}
