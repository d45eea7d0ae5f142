import { actorOf, type Principal } from '../../../../platform/access/principal.js';
import { PreconditionFailed } from '../../../../platform/errors.js';
import { workspaceOf } from '../../../tenants/use-cases.js';
import { letterRepository, StaleLetterWriteError } from '../repository/index.js';
import { type Letter, revoke } from '../rules/letter.js';
import { letterInScope } from './view.js';

/**
 * Revoke a valid letter under optimistic concurrency. With If-Match the caller's version must be
 * current (412). Without it, a concurrent change is retried on the fresh state a few times —
 * never silently overwritten; a letter no longer valid is a 409 (rules/letter.ts).
 */
export async function revokeLetter(request: {
  principal: Principal;
  letterId: string | undefined;
  expectedVersion: number | undefined;
  reason: string;
}): Promise<Letter> {
  const { principal, letterId, expectedVersion: expected, reason } = request;
  const { today } = workspaceOf(principal);
  for (let attempt = 0; ; attempt++) {
    const current = await letterInScope(principal, letterId);
    if (expected !== undefined && current.version !== expected) throw new PreconditionFailed(current.version);
    const transition = revoke(current, { reason }, today, new Date().toISOString());
    try {
      return await letterRepository(principal).apply({
        transition,
        fromVersion: current.version,
        actor: actorOf(principal),
      });
    } catch (error) {
      if (error instanceof StaleLetterWriteError && error.current?.status === 'valid') {
        if (expected !== undefined && error.current.version !== expected)
          throw new PreconditionFailed(error.current.version);
        if (attempt < 3) continue;
      }
      throw error;
    }
  }
}
