import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { aggregate } from '../../../functions/streams/statistics.js';
import { counterPlugins } from '../../../shared/app/index.js';
import { documentClient } from '../../../shared/platform/table/client.js';
import { expected, plain, stored } from '../support/counters.js';
import { asEvent, records, world } from '../support/world.js';
import { exactnessFixtures } from './fixtures.js';

type World = Awaited<ReturnType<typeof world>>;

afterEach(() => vi.restoreAllMocks());

it('every module with counters has exactness fixtures (a new plug-in cannot skip these tests)', () => {
  expect(exactnessFixtures.map((f) => f.module).sort()).toEqual(counterPlugins.map((p) => p.module).sort());
});

/**
 * The statistics engine's exactness, for every module's counters: the stream aggregator gives
 * exactly the reconciler's numbers under at-least-once delivery — replays, recompositions,
 * a crash half-way and a poison record.
 */
describe.each(exactnessFixtures.map((f) => [f.module, f] as const))(
  '%s counters under at-least-once delivery',
  (_module, fixture) => {
    let w: World;
    beforeAll(async () => {
      w = await world(`agg-${fixture.module}`, 3);
      await fixture.populate(w);
    }, 120_000);

    it('a single clean delivery gives exactly the reconciler’s numbers', async () => {
      const events = await w.streamEvents();
      expect(records(events).length).toBeGreaterThan(20);
      for (const e of events) expect((await aggregate(e)).batchItemFailures).toEqual([]);
      expect(plain(await stored(w))).toEqual(plain(await expected(w)));
    });

    it('a batch delivered twice, in other compositions, or retried after a crash half-way changes nothing', async () => {
      const all = records(await w.streamEvents());
      const truth = plain(await expected(w));
      // Replay everything again, as one big redelivery and as halves (bisect).
      await aggregate(asEvent(all.slice(0, 100)));
      await aggregate(asEvent(all.slice(50, 90)));
      await aggregate(asEvent(all.slice(100)));
      expect(plain(await stored(w))).toEqual(truth);

      // Crash after the first transaction of a batch: the retry applies the rest exactly once.
      const client = documentClient();
      const realSend = client.send.bind(client);
      let transactions = 0;
      vi.spyOn(client, 'send').mockImplementation(((
        command: { constructor: { name: string } },
        ...rest: unknown[]
      ) => {
        if (command.constructor.name === 'TransactWriteCommand' && ++transactions === 2) {
          return Promise.reject(new Error('Lambda crashed (injected)'));
        }
        return (realSend as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
      }) as typeof client.send);
      await expect(aggregate(asEvent(all))).rejects.toThrow('injected');
      vi.restoreAllMocks();
      await aggregate(asEvent(all));
      expect(plain(await stored(w))).toEqual(truth);
    });

    it('new writes after replays still count once', async () => {
      const before = (await w.streamEvents()).length;
      await fixture.writeOne(w, 1);
      const events = await w.streamEvents();
      expect(events.length).toBeGreaterThanOrEqual(before);
      for (const e of events) await aggregate(e); // everything redelivered plus the new one
      expect(plain(await stored(w))).toEqual(plain(await expected(w)));
    });

    it('a poison record is reported, the rest of the batch is applied, and a retry from it double-counts nothing', async () => {
      await fixture.writeOne(w, 2);
      await fixture.writeOne(w, 2);
      const all = records(await w.streamEvents());
      const tail = all.slice(-4);
      const poison = structuredClone(tail[1]!);
      poison.eventID = 'poison-1';
      poison.dynamodb!.SequenceNumber = `${poison.dynamodb!.SequenceNumber}9`;
      poison.dynamodb!.NewImage = { ...fixture.poisonImage, version: { N: '1' } };
      const batch = [tail[0]!, poison, tail[2]!, tail[3]!];
      const result = await aggregate(asEvent(batch));
      expect(result.batchItemFailures).toEqual([{ itemIdentifier: poison.dynamodb!.SequenceNumber }]);
      // The event source mapping retries from the poison record: it fails again, the rest is deduplicated.
      const retry = await aggregate(asEvent(batch.slice(1)));
      expect(retry.batchItemFailures).toEqual([{ itemIdentifier: poison.dynamodb!.SequenceNumber }]);
      expect(plain(await stored(w))).toEqual(plain(await expected(w)));
    });
  },
);
