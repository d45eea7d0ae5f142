import { isDeepStrictEqual } from 'node:util';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { gridKeys } from '../../shared/modules/grids/keys.js';
import { peopleKeys } from '../../shared/modules/people/keys.js';
import { historyItem, personItem } from '../../shared/modules/people/repository/items.js';
import { personRepository } from '../../shared/modules/people/repository.js';
import type { Transition } from '../../shared/modules/people/rules/person.js';
import type { Actor } from '../../shared/platform/access/principal.js';
import { addDays, todayIn } from '../../shared/platform/dates.js';
import { deploymentSecret } from '../../shared/platform/secrets.js';
import { documentClient, registryTableName } from '../../shared/platform/table/client.js';
import { isTransactionConflict } from '../../shared/platform/table/query.js';
import type { TenantContext } from '../../shared/platform/table/tenant-context.js';
import type { Api } from './api.js';
import { captureTransactions, type TransactItems } from './loader.js';
import {
  type CallLatency,
  CallTimes,
  type Latency,
  latencyOf,
  perSecond,
  pool,
  sleep,
  waitUntil,
} from './measure.js';
import { type RegistrationBody, registrationBody, registrationOf } from './people.js';

export interface RegistrationFigure {
  /** Timed registrations per side (API and raw each). */
  registrations: number;
  concurrency: number;
  /** Untimed registrations per side before the timed rounds. */
  warmUp: number;
  rounds: number;
  apiPerSecond: number;
  rawPerSecond: number;
  /** Timed API registrations; 429s from the local stage throttle are retried and in the wall time. */
  apiLatencyMs: CallLatency;
  rawLatencyMs: Latency;
  /** TransactionConflict cancellations the raw side got and retried (as the repository's helper does). */
  rawConflicts: number;
  /** The township: its key, grids, and the people registered through the API (warm-up and timed). */
  township: { tenantId: string; key: string; grids: string[] };
  warmUpPersonIds: string[];
  personIds: string[];
  /** Registrations in the township, both sides, warm-up included (all active). */
  totalRegistered: number;
}

/**
 * Figure 1: registrations through `POST /v1/people` next to a raw TransactWriteItems of exactly
 * the items a registration writes — the ID-number guard Put, the person Put, the history event
 * Put and the grid ConditionCheck — into the same table of the same DynamoDB Local, same
 * township and grids, same concurrency. The raw items are built with the repository's own
 * `personItem`/`historyItem` and key builders, and checked once against a transaction captured
 * from `personRepository().register` (so the two sides cannot drift apart silently).
 *
 * The stack is warmed first (untimed: handlers loaded, authorizer answer cached, a card-number
 * block reserved). Then rounds alternate raw → API with different people on each side (one ID
 * number, one guard), and the stream aggregator is let catch up (untimed) after each timed part,
 * so neither side pays for the other's counting.
 */
export async function registrationFigure(
  api: Api,
  opts: { registrations: number; concurrency: number; rounds: number; warmUp: number; firstIndex: number },
): Promise<RegistrationFigure> {
  const today = todayIn('Asia/Shanghai');
  const ws = await api.township('Bench registrations', 3);
  const tenant: TenantContext = { tenantId: ws.tenantId };
  const secret = await deploymentSecret();
  const db = documentClient();
  const table = registryTableName();

  let next = opts.firstIndex;
  const take = (count: number): RegistrationBody[] =>
    Array.from({ length: count }, () => {
      const i = next++;
      return registrationBody(i, ws.grids, addDays(today, -(i % 60)));
    });
  let rawCards = 9_000_000; // raw people's made-up card numbers, far from the API's sequence

  /** The registration's transaction, as `personRepository().register` builds it. */
  const rawTransaction = (tr: Transition, idHash: string, actor: Actor): TransactItems => [
    {
      Put: {
        TableName: table,
        Item: {
          ...peopleKeys.idNumberGuard(tenant, idHash),
          entity: 'id-guard',
          tenantId: tenant.tenantId,
          personId: tr.person.personId,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    {
      Put: {
        TableName: table,
        Item: personItem(tenant, tr.person, idHash),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    { Put: { TableName: table, Item: historyItem(tenant, { transition: tr, actor }) } },
    {
      ConditionCheck: {
        TableName: table,
        Key: gridKeys.grid(tenant, tr.person.gridId),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
  ];
  const transitionOf = (body: RegistrationBody) => {
    const tr = registrationOf(body, rawCards++, today);
    return { tr, idHash: secret.idNumberHash(tenant.tenantId, tr.person.idNumber) };
  };

  let totalRegistered = 0;
  const quiet = () =>
    waitUntil(
      'stats after registrations',
      () => api.floatingPopulation(ws.key),
      (n) => n === totalRegistered,
      { intervalMs: 100, timeoutMs: 60_000 },
    );

  const apiTimes = new CallTimes();
  const rawLatencies: number[] = [];
  const viaApi = async (bodies: RegistrationBody[], timed: boolean) => {
    const ids: string[] = [];
    const ms = await pool(bodies, opts.concurrency, async (body) => {
      const res = await api.expectTimed(201, 'POST', '/v1/people', { key: ws.key, body });
      ids.push(res.body.personId as string);
      if (timed) apiTimes.add(res);
    });
    totalRegistered += bodies.length;
    await quiet();
    return { ms, ids };
  };

  let rawConflicts = 0;
  /** One TransactWriteItems; a TransactionConflict is retried like the platform's transactWrite. */
  const sendRaw = async (items: TransactItems) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await db.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        if (!isTransactionConflict(error) || attempt >= 5) throw error;
        rawConflicts++;
        await sleep(15 * 2 ** attempt + Math.random() * 25);
      }
    }
  };
  const raw = async (transactions: TransactItems[], timed: boolean) => {
    const ms = await pool(transactions, opts.concurrency, async (items) => {
      const started = performance.now();
      await sendRaw(items);
      if (timed) rawLatencies.push(performance.now() - started);
    });
    totalRegistered += transactions.length;
    await quiet();
    return ms;
  };

  // Warm-up (untimed): the API first (handler load, authorizer cache, card-number block), then raw.
  const warmUp = await viaApi(take(opts.warmUp), false);
  const history = await api.expect(200, 'GET', `/v1/people/${warmUp.ids[0]}/history`, { key: ws.key });
  const actor = history.items[0].actor as Actor; // the key's actor, as the API records it

  // The raw side must send what the repository sends: compare with a captured transaction.
  const sample = transitionOf(take(1)[0]!);
  const [captured] = await captureTransactions(db, async () => {
    await personRepository(tenant).register({ transition: sample.tr, idHash: sample.idHash, actor });
  });
  const built = rawTransaction(sample.tr, sample.idHash, actor);
  if (!isDeepStrictEqual(withoutEventIds(built), withoutEventIds(captured ?? [])))
    throw new Error(
      `the raw transaction differs from the repository's:\n${JSON.stringify(built)}\n${JSON.stringify(captured)}`,
    );

  const rawOf = (bodies: RegistrationBody[]) =>
    bodies.map((body) => {
      const { tr, idHash } = transitionOf(body);
      return rawTransaction(tr, idHash, actor);
    });
  await raw(rawOf(take(opts.warmUp)), false);

  const perRound = Math.ceil(opts.registrations / opts.rounds);
  const personIds: string[] = [];
  let apiMs = 0;
  let rawMs = 0;
  let done = 0;
  for (let round = 0; round < opts.rounds && done < opts.registrations; round++) {
    const count = Math.min(perRound, opts.registrations - done);
    // Built before the clock starts, as the API side's bodies are.
    rawMs += await raw(rawOf(take(count)), true);
    const viaTheApi = await viaApi(take(count), true);
    apiMs += viaTheApi.ms;
    personIds.push(...viaTheApi.ids);
    done += count;
  }
  return {
    registrations: done,
    concurrency: opts.concurrency,
    warmUp: opts.warmUp,
    rounds: opts.rounds,
    apiPerSecond: perSecond(done, apiMs),
    rawPerSecond: perSecond(done, rawMs),
    apiLatencyMs: apiTimes.summary(),
    rawLatencyMs: latencyOf(rawLatencies),
    rawConflicts,
    township: { tenantId: ws.tenantId, key: ws.key, grids: ws.grids },
    warmUpPersonIds: warmUp.ids,
    personIds,
    totalRegistered,
  };
}

/** A transaction with its history event's sort key (which holds a freshly minted event id) blanked. */
function withoutEventIds(items: TransactItems): unknown {
  return items.map((action) =>
    action.Put?.Item?.entity === 'history'
      ? { ...action, Put: { ...action.Put, Item: { ...action.Put.Item, sk: '(event id)' } } }
      : action,
  );
}
