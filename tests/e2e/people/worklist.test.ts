import { describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../../shared/platform/dates.js';
import { idNumberFor } from '../../support/people.js';
import { call, expectProblem, signUp } from '../support/api.js';

/** The verification worklist: people due in the key's scope, oldest first, paged, from an index. */
const today = todayIn('Asia/Shanghai');

describe('GET /v1/people/due', () => {
  it('lists exactly the due people of the key’s scope, oldest first, across pages', async () => {
    const ws = await signUp();
    const [g1, g2] = [await ws.grid(), await ws.grid()];
    const register = async (gridId: string, daysAgo: number, i: number) =>
      (
        await call('POST', '/v1/people', {
          key: ws.adminKey,
          body: {
            idNumber: idNumberFor('female', `1980-02-${String(i + 1).padStart(2, '0')}`),
            name: `P${i}`,
            flow: 'inflow',
            gridId,
            address: 'A',
            arrivedOn: addDays(today, -daysAgo),
            maritalStatus: 'single',
          },
        })
      ).body.personId as string;
    // Due means last seen more than 90 days ago (the default cycle).
    const due1 = [await register(g1, 200, 0), await register(g1, 120, 1), await register(g1, 95, 2)];
    const due2 = [await register(g2, 150, 3), await register(g2, 91, 4)];
    await register(g1, 90, 5); // exactly 90 days: not yet due
    await register(g2, 10, 6);

    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { personId: string }[]; nextCursor: string | null } } = await call(
        'GET',
        `/v1/people/due?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { key: ws.adminKey },
      );
      all.push(...page.body.items.map((p) => p.personId));
      cursor = page.body.nextCursor;
    } while (cursor);
    // oldest first: 200, 150, 120, 95, 91 days ago
    expect(all).toEqual([due1[0], due2[0], due1[1], due1[2], due2[1]]);

    const gridKey = await ws.keyOf('grid', [g2]);
    const scoped = await call('GET', '/v1/people/due', { key: gridKey });
    expect(scoped.body.items.map((p: { personId: string }) => p.personId)).toEqual(due2);
    const one = await call('GET', `/v1/people/due?gridId=${g1}`, { key: ws.adminKey });
    expect(one.body.items.map((p: { personId: string }) => p.personId)).toEqual(due1);
    expectProblem(await call('GET', `/v1/people/due?gridId=${g1}`, { key: gridKey }), 403);
    const other = await signUp();
    expectProblem(await call('GET', `/v1/people/due?gridId=${g1}`, { key: other.adminKey }), 404);
  });
});
