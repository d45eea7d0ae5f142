import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { statisticsKeys } from '../../shared/modules/statistics/keys.js';
import { addDays, todayIn } from '../../shared/platform/dates.js';
import { documentClient, registryTableName } from '../../shared/platform/table/client.js';
import type { TenantContext } from '../../shared/platform/table/tenant-context.js';
import type { Api } from './api.js';
import { pool, waitUntil } from './measure.js';
import { registrationBody } from './people.js';

export interface BurstFigure {
  registrations: number;
  grids: number;
  batches: number;
  /** From the first batch sent to the last batch acknowledged. */
  burstMs: number;
  /** From the last acknowledged batch until GET /v1/stats shows every registration. */
  catchUpMs: number;
  /** Sum of `revision` over the tenant's counter items: one per counter-item update. */
  counterWrites: number;
  counterItems: number;
  /** Dedupe markers (`APPLIED#…` beside their source items), one per applied stream record that counts. */
  markers: number;
}

/**
 * Figures 2 and 3: a burst of registrations through `POST /v1/people/batch` into a fresh
 * township, then (a) how long until `GET /v1/stats` shows all of them, polled every 50 ms, and
 * (b) how many counter-item writes and dedupe markers the stream aggregator made for them.
 */
export async function counterBurst(
  api: Api,
  opts: {
    registrations: number;
    grids: number;
    batchSize: number;
    batchesInFlight: number;
    firstIndex: number;
  },
): Promise<BurstFigure> {
  const today = todayIn('Asia/Shanghai');
  const ws = await api.township('Bench burst', opts.grids);
  const tenant: TenantContext = { tenantId: ws.tenantId };
  // Arrivals over the last 75 days: three months' flow items per grid, as a real burst would touch.
  const bodies = Array.from({ length: opts.registrations }, (_, k) =>
    registrationBody(opts.firstIndex + k, ws.grids, addDays(today, -(k % 75))),
  );
  const batches: (typeof bodies)[] = [];
  for (let i = 0; i < bodies.length; i += opts.batchSize) batches.push(bodies.slice(i, i + opts.batchSize));

  let created = 0;
  const burstMs = await pool(batches, opts.batchesInFlight, async (items) => {
    const res = await api.expect(200, 'POST', '/v1/people/batch', { key: ws.key, body: { items } });
    const results = res.results as { status: number }[];
    created += results.filter((r) => r.status === 201).length;
    const failed = results.find((r) => r.status !== 201);
    if (failed) throw new Error(`batch registration refused: ${JSON.stringify(failed)}`);
  });
  const caughtUp = await waitUntil(
    'stats catch-up after the burst',
    () => api.floatingPopulation(ws.key),
    (n) => n === created,
    { intervalMs: 50, timeoutMs: 90_000 },
  );

  const db = documentClient();
  let counterWrites = 0;
  let counterItems = 0;
  // Counter items of every module and grid, gauge and month alike: the key decoding says which.
  for (const pk of [statisticsKeys.gauges(tenant).pk, statisticsKeys.months(tenant).pk]) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.send(
        new QueryCommand({
          TableName: registryTableName(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        const ref = statisticsKeys.counterRefOf({ pk: item.pk as string, sk: item.sk as string });
        if (!ref || !ws.grids.includes(ref.gridId)) continue;
        counterItems++;
        counterWrites += Number(item.revision ?? 0);
      }
      start = out.LastEvaluatedKey;
    } while (start);
  }

  // Markers sit beside their source items (`APPLIED#…`), as entity `stream-marker`: count the
  // tenant's with a filtered scan.
  const tenantPrefix = `${statisticsKeys.tenantPartition(tenant)}#`;
  let markers = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new ScanCommand({
        TableName: registryTableName(),
        FilterExpression: 'begins_with(pk, :tenant) AND entity = :marker',
        ExpressionAttributeValues: { ':tenant': tenantPrefix, ':marker': 'stream-marker' },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    markers += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);

  return {
    registrations: created,
    grids: opts.grids,
    batches: batches.length,
    burstMs,
    catchUpMs: caughtUp.ms,
    counterWrites,
    counterItems,
    markers,
  };
}
