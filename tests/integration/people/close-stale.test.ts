import { afterEach, describe, expect, it, vi } from 'vitest';
import { personRepository, StaleWriteError } from '../../../shared/modules/people/repository.js';
import { verify } from '../../../shared/modules/people/rules/person.js';
import { closeStaleRegistrations } from '../../../shared/modules/people/use-cases/close-stale.js';
import { addDays } from '../../../shared/platform/dates.js';
import { documentClient } from '../../../shared/platform/table/client.js';
import { world } from '../support/world.js';

afterEach(() => vi.restoreAllMocks());

describe('closing stale registrations', () => {
  it('reads only the due registrations and a concurrent verification wins', async () => {
    const w = await world('stale', 1);
    const longAgo = addDays(w.today, -200);
    for (let i = 0; i < 40; i++) await w.registerPerson({ arrivedOn: addDays(w.today, -(i % 100)) });
    const due = [];
    for (let i = 0; i < 5; i++) due.push(await w.registerPerson({ arrivedOn: longAgo }));
    const raced = due[0]!;

    // Verify `raced` exactly between the closer's read and its conditional write.
    const client = documentClient();
    const realSend = client.send.bind(client);
    let injected = false;
    vi.spyOn(client, 'send').mockImplementation((async (
      command: { constructor: { name: string }; input: { Key?: { pk?: string } } },
      ...rest: unknown[]
    ) => {
      const out = await (realSend as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
      if (
        !injected &&
        command.constructor.name === 'GetCommand' &&
        command.input.Key?.pk?.endsWith(raced.personId)
      ) {
        injected = true;
        const tr = verify(
          raced,
          { verifiedOn: w.today, outcome: 'present' },
          w.today,
          new Date().toISOString(),
        );
        await personRepository(w.principal).apply({
          transition: tr,
          fromVersion: raced.version,
          idHash: raced.idHash,
          actor: { keyId: 'k', name: 'officer' },
        });
      }
      return out;
    }) as typeof client.send);
    const report = await closeStaleRegistrations(w.principal);
    vi.restoreAllMocks();
    expect(injected).toBe(true);
    expect(report).toMatchObject({ candidates: 5, closed: 4, skipped: 1 });
    const repo = personRepository(w.principal);
    expect(await repo.get(raced.personId)).toMatchObject({ status: 'active', lastVerifiedOn: w.today });
    for (const p of due.slice(1))
      expect(await repo.get(p.personId)).toMatchObject({ status: 'closed', closedOn: w.today });

    // Safe to run twice, and concurrently.
    const [a, b] = await Promise.all([
      closeStaleRegistrations(w.principal),
      closeStaleRegistrations(w.principal),
    ]);
    expect(a.closed + b.closed).toBe(0);
    // The guard of a closed registration is released: the person can register again.
    await expect(personRepository(w.principal).activePersonIdOf(due[1]!.idHash)).resolves.toBeUndefined();
  });

  it('a closure and a verification racing for real: exactly one wins', async () => {
    const w = await world('race', 1);
    for (let round = 0; round < 5; round++) {
      const p = await w.registerPerson({ arrivedOn: addDays(w.today, -300) });
      const repo = personRepository(w.principal);
      const verification = repo
        .apply({
          transition: verify(
            p,
            { verifiedOn: w.today, outcome: 'present' },
            w.today,
            new Date().toISOString(),
          ),
          fromVersion: p.version,
          idHash: p.idHash,
          actor: { keyId: 'k', name: 'o' },
        })
        .then(
          () => 'verified',
          (e) => (e instanceof StaleWriteError ? 'lost' : Promise.reject(e)),
        );
      const [verified, report] = await Promise.all([verification, closeStaleRegistrations(w.principal)]);
      const now = await repo.get(p.personId);
      if (verified === 'verified') {
        expect(now).toMatchObject({ status: 'active', lastVerifiedOn: w.today });
        expect(report.closed).toBe(0);
      } else {
        expect(now?.status).toBe('closed');
        expect(report.closed).toBe(1);
      }
    }
  });
});
