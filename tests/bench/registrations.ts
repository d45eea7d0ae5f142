import { randomBytes } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTables, localDynamoClient } from '../../infra/local/dynamodb.js';
import { registryTable } from '../../shared/app/index.js';
import { personItem } from '../../shared/modules/people/repository.js';
import { addDays, todayIn } from '../../shared/platform/dates.js';
import { deploymentSecret } from '../../shared/platform/secrets.js';
import type { TenantContext } from '../../shared/platform/table/tenant-context.js';
import type { Api } from './api.js';
import { percentile, perSecond, pool, waitUntil } from './measure.js';
import { type RegistrationBody, registrationBody, registrationOf } from './people.js';

export interface ThroughputFigure {
  registrations: number;
  concurrency: number;
  apiPerSecond: number;
  rawPerSecond: number;
  apiLatencyMs: { p50: number; p95: number };
  rawLatencyMs: { p50: number; p95: number };
  /** 429s from the local stage throttle, retried. */
  throttled: number;
}

/**
 * Figure 1: registrations per second through `POST /v1/people` next to raw `PutItem`s of the
 * same person items into a scratch copy of the registry table (same definition, same DynamoDB
 * Local) at the same concurrency. Rounds alternate raw → API, and the stack is let go quiet
 * (the stream aggregator caught up) before each timed part, so neither side pays for the other.
 */
export async function registrationThroughput(
  api: Api,
  dynamoEndpoint: string,
  opts: { registrations: number; concurrency: number; rounds: number; warmUp: number; firstIndex: number },
): Promise<ThroughputFigure> {
  const today = todayIn('Asia/Shanghai');
  const ws = await api.township('Bench throughput', 3);
  const tenant: TenantContext = { tenantId: ws.tenantId };
  const secret = await deploymentSecret();
  const bodies = (from: number, count: number) =>
    Array.from({ length: count }, (_, k) =>
      registrationBody(from + k, ws.grids, addDays(today, -((from + k) % 60))),
    );

  /** The person item the repository writes for this body: its own `personItem`, not a copy. */
  const personItemOf = (body: RegistrationBody, cardSequence: number) => {
    const p = registrationOf(body, cardSequence, today).person;
    return personItem(tenant, p, secret.idNumberHash(tenant.tenantId, p.idNumber));
  };

  const scratch = `BenchScratch-${randomBytes(4).toString('hex')}`;
  const client = localDynamoClient(dynamoEndpoint);
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  await ensureTables(client, [registryTable], { [registryTable.name]: scratch });

  const apiLatencies: number[] = [];
  const rawLatencies: number[] = [];
  let registered = 0;
  const viaApi = async (items: RegistrationBody[], record: boolean) => {
    const ms = await pool(items, opts.concurrency, async (body) => {
      const started = performance.now();
      await api.expect(201, 'POST', '/v1/people', { key: ws.key, body });
      if (record) apiLatencies.push(performance.now() - started);
    });
    registered += items.length;
    // Untimed: let the stream aggregator catch up before the next timed part.
    await waitUntil(
      'stats after registrations',
      () => api.floatingPopulation(ws.key),
      (n) => n === registered,
      { intervalMs: 100, timeoutMs: 60_000 },
    );
    return ms;
  };
  const raw = async (items: Record<string, unknown>[], record: boolean) =>
    pool(items, opts.concurrency, async (item) => {
      const started = performance.now();
      await doc.send(new PutCommand({ TableName: scratch, Item: item }));
      if (record) rawLatencies.push(performance.now() - started);
    });

  try {
    let next = opts.firstIndex;
    const take = (count: number) => {
      const out = bodies(next, count);
      next += count;
      return out;
    };
    // Warm-up (untimed): JIT, connections, the handlers' first load in the stack.
    const warmUp = take(opts.warmUp);
    await raw(
      warmUp.map((b, k) => personItemOf(b, k + 1)),
      false,
    );
    await viaApi(warmUp, false);

    const throttledBefore = api.throttled;
    const perRound = Math.ceil(opts.registrations / opts.rounds);
    let apiMs = 0;
    let rawMs = 0;
    let done = 0;
    for (let round = 0; round < opts.rounds; round++) {
      // The same people both ways: their person items raw into the scratch table, then via the API.
      const people = take(Math.min(perRound, opts.registrations - done));
      rawMs += await raw(
        people.map((b, k) => personItemOf(b, opts.warmUp + done + k + 1)),
        true,
      );
      apiMs += await viaApi(people, true);
      done += people.length;
    }
    return {
      registrations: done,
      concurrency: opts.concurrency,
      apiPerSecond: perSecond(done, apiMs),
      rawPerSecond: perSecond(done, rawMs),
      apiLatencyMs: { p50: percentile(apiLatencies, 50), p95: percentile(apiLatencies, 95) },
      rawLatencyMs: { p50: percentile(rawLatencies, 50), p95: percentile(rawLatencies, 95) },
      throttled: api.throttled - throttledBefore,
    };
  } finally {
    await client.send(new DeleteTableCommand({ TableName: scratch })).catch(() => undefined);
    client.destroy();
  }
}
