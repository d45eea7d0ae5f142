import { describe, expect, it } from 'vitest';
import { listDue } from '../../../shared/modules/people/use-cases/listing.js';
import type { Principal } from '../../../shared/platform/access/principal.js';
import { addDays } from '../../../shared/platform/dates.js';
import { world } from '../support/world.js';

/**
 * The due worklist merges the due index's shards. A scoped key filters entries after DynamoDB's
 * Limit, so a shard can stop early on other grids' entries: the page must not take an entry
 * of another shard that sorts above where that shard stopped, or the next page's position skips
 * the stopped shard's own entries. Forty people of another grid are due first (each shard
 * stops on them), then five of the key's grid: pages of one must show exactly those five.
 * (Before the fix, the first page came back empty with no cursor: the five were never shown.)
 */
describe('the due worklist, paged for a grid key', () => {
  it('shows every due person of the key’s grid exactly once, oldest first, with pages of one', async () => {
    const w = await world('due-paging', 2);
    const [gridA, gridB] = w.grids as [string, string];
    const seenOn = (daysAgo: number) => addDays(w.today, -daysAgo);
    for (let i = 0; i < 40; i++) {
      const day = seenOn(300 - i);
      await w.registerPerson({ gridId: gridB, arrivedOn: day, lastVerifiedOn: day });
    }
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) {
      const day = seenOn(200 - i);
      mine.push((await w.registerPerson({ gridId: gridA, arrivedOn: day, lastVerifiedOn: day })).personId);
    }
    const gridKey: Principal = { ...w.principal, role: 'grid', gridIds: [gridA] };
    for (const limit of [1, 2, 100]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let round = 0; round < 60; round++) {
        const page = await listDue(gridKey, { limit, ...(cursor ? { cursor } : {}) });
        seen.push(...page.people.map((p) => p.personId));
        cursor = page.nextCursor ?? undefined;
        if (!cursor) break;
      }
      expect(seen, `limit ${limit}`).toEqual(mine);
    }
  });
});
