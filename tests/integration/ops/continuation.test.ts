import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runScheduled } from '../../../infra/local/handlers.js';
import { scheduledEvent } from '../../../infra/local/scheduler.js';
import { schedules } from '../../../shared/app/index.js';
import { personRepository } from '../../../shared/modules/people/repository.js';
import {
  continuationMetric,
  continuationOf,
  continueLater,
  maxContinuationHops,
  nextRound,
} from '../../../shared/platform/continuation.js';
import { addDays } from '../../../shared/platform/dates.js';
import { logger, metrics } from '../../../shared/platform/observability.js';
import { createTestTables, type TestTables } from '../support/dynamo.js';
import { world } from '../support/world.js';

/**
 * Issue 10, point 2: a resumable job continues itself in rounds that carry a hop counter, on
 * AWS (self-invocation) and locally (the runner's loop) alike, past the ~16 rounds after which
 * Lambda's recursive-loop detection would cut a chain, up to a hard limit of its own.
 */
const closeStale = schedules.find((s) => s.name === 'close-stale-registrations')!;
let tables: TestTables;

beforeAll(async () => {
  tables = await createTestTables('ops-continuation');
});

afterEach(() => vi.restoreAllMocks());

describe('the stale closer, resumable', () => {
  it('continues past 16 rounds under a tiny time budget, over several tenants, and finishes the pass', async () => {
    expect(closeStale.resumable).toBe(true);
    const tenants = [];
    for (let i = 0; i < 7; i++) {
      const w = await world(`cont${i}`, 1, { tables });
      const due = [];
      for (let j = 0; j < 3; j++) due.push(await w.registerPerson({ arrivedOn: addDays(w.today, -300) }));
      const fresh = await w.registerPerson({ arrivedOn: w.today });
      tenants.push({ w, due, fresh });
    }

    // A 30 s timeout is under the job's 60 s reserve: every round's budget is spent from the
    // start, so each round closes one registration (the progress every round makes) and hands
    // the rest to the next.
    const rounds: { hop: number; complete: boolean; closed: number; next?: unknown }[] = [];
    const event = scheduledEvent(closeStale, new Date());
    await runScheduled({ ...closeStale, timeoutSeconds: 30 }, event, (_round, result) =>
      rounds.push(result as (typeof rounds)[number]),
    );

    expect(rounds.length).toBeGreaterThan(16);
    expect(rounds.map((r) => r.hop)).toEqual(rounds.map((_, i) => i));
    expect(rounds.at(-1)?.complete).toBe(true);
    expect(rounds.slice(0, -1).every((r) => !r.complete)).toBe(true);
    expect(rounds.reduce((n, r) => n + r.closed, 0)).toBe(7 * 3);
    // Each round's next event is the same pass one hop on, with the tenants done as checkpoint.
    const second = rounds[0]!.next as typeof event & { continuation: { hop: number } };
    expect(second).toMatchObject({ id: event.id, time: event.time, detail: event.detail });
    expect(continuationOf(second).hop).toBe(1);
    for (const { w, due, fresh } of tenants) {
      const repo = personRepository(w.principal);
      for (const p of due) expect((await repo.get(p.personId))?.status).toBe('closed');
      expect((await repo.get(fresh.personId))?.status).toBe('active');
    }
  }, 120_000);
});

describe('the hard stop', () => {
  it('locally, the runner stops a chain that never completes at the same limit, with an error', async () => {
    const g = globalThis as { neverDoneEvents?: unknown[] };
    g.neverDoneEvents = [];
    const neverDone = {
      ...closeStale,
      name: 'never-done',
      entry: 'tests/integration/ops/fixtures/never-done.ts',
      resumable: true,
    };
    let rounds = 0;
    await expect(runScheduled(neverDone, { detail: {} }, () => rounds++)).rejects.toThrow(
      `never-done: stopped at the continuation limit (${maxContinuationHops} hops) without completing`,
    );
    // hop 0 (the scheduled run) and hops 1..200: as many invocations as on AWS.
    expect(rounds).toBe(maxContinuationHops + 1);
    expect(g.neverDoneEvents.map((e) => continuationOf(e).hop)).toEqual(
      Array.from({ length: maxContinuationHops + 1 }, (_, i) => i),
    );
  });

  it('on AWS, the round past the limit logs an error, counts the metric and invokes nothing', async () => {
    const lambda = mockClient(LambdaClient);
    const saved = { ...process.env };
    try {
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'TownshipRegistry-prod-JobCloseStale';
      delete process.env.DYNAMODB_ENDPOINT;
      lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
      const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
      const metric = vi.spyOn(metrics, 'addMetric').mockImplementation(() => metrics);

      const last = nextRound(
        { detail: {}, continuation: { hop: maxContinuationHops - 1 } },
        { after: 't_1' },
      );
      expect(continuationOf(last).hop).toBe(maxContinuationHops);
      expect(await continueLater(last)).toBe(true);
      const sent = JSON.parse(
        Buffer.from(lambda.commandCalls(InvokeCommand)[0]!.args[0].input.Payload as Uint8Array).toString(),
      );
      expect(sent).toEqual({
        detail: {},
        continuation: { hop: maxContinuationHops, checkpoint: { after: 't_1' } },
      });

      expect(nextRound(last)).toBeUndefined();
      expect(error).toHaveBeenCalledWith(expect.stringContaining('hop limit'), expect.anything());
      expect(metric).toHaveBeenCalledWith(continuationMetric, 'Count', 1);
      expect(await continueLater({ continuation: { hop: maxContinuationHops + 1 } })).toBe(false);
      expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    } finally {
      process.env = saved;
      lambda.restore();
    }
  });
});
