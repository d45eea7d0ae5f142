/**
 * The parts of the local stream poller that need no DynamoDB: filters, event shaping, the
 * response rules, shard ordering and the retry/bisect/dead-letter loop (with a fake handler).
 * The poller against a real DynamoDB Local stream is in stream-poller.test.ts.
 */
import type { _Record, Shard } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  type BatchDeliveryOptions,
  deliverBatch,
  type FailedBatch,
  interpretResponse,
  type StreamHandler,
} from '../../../infra/local/stream/delivery.js';
import { mayStartReading } from '../../../infra/local/stream/discovery.js';
import { toLambdaRecord } from '../../../infra/local/stream/events.js';
import { matchesFilters } from '../../../infra/local/stream/filters.js';
import { Stopped } from '../../../infra/local/stream/util.js';

const source = {
  streamArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/x',
  awsRegion: 'ddblocal',
};

/** Stream record number `n` (sequence number = n), created `ageSeconds` ago. */
function record(n: number, ageSeconds = 0): _Record {
  return {
    eventID: `e${n}`,
    eventName: 'INSERT',
    dynamodb: {
      SequenceNumber: String(n),
      ApproximateCreationDateTime: new Date(Date.now() - ageSeconds * 1000),
      Keys: { pk: { S: `P#${n}` } },
      NewImage: { pk: { S: `P#${n}` }, n: { N: String(n) } },
    },
  };
}

describe('matchesFilters', () => {
  const filters: Parameters<typeof matchesFilters>[1] = [
    { entity: ['person'] },
    { entity: ['history'], action: ['verified', 'closed'] },
  ];

  it('matches some filter whose every attribute has a listed S value', () => {
    expect(matchesFilters({ entity: { S: 'person' } }, filters)).toBe(true);
    expect(matchesFilters({ entity: { S: 'history' }, action: { S: 'closed' } }, filters)).toBe(true);
    expect(matchesFilters({ entity: { S: 'history' }, action: { S: 'registered' } }, filters)).toBe(false);
    expect(matchesFilters({ entity: { S: 'history' } }, filters)).toBe(false);
    expect(matchesFilters({ entity: { N: '1' } }, [{ entity: ['1'] }])).toBe(false);
  });

  it('lets everything through without filters, and nothing without a NewImage when filtered', () => {
    expect(matchesFilters(undefined, [])).toBe(true);
    expect(matchesFilters(undefined, filters)).toBe(false);
  });
});

describe('toLambdaRecord', () => {
  it('shapes a record as Lambda delivers it in JSON', () => {
    const created = new Date('2024-05-01T10:00:00.750Z');
    const out = toLambdaRecord(
      {
        eventID: 'id-1',
        eventName: 'MODIFY',
        userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' },
        dynamodb: {
          ApproximateCreationDateTime: created,
          SequenceNumber: '42',
          SizeBytes: 12,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
          Keys: { pk: { S: 'a' } },
          NewImage: {
            b: { B: Uint8Array.from([1, 2, 3]) },
            bs: { BS: [Uint8Array.from([255])] },
            m: { M: { l: { L: [{ N: '1' }, { BOOL: true }, { NULL: true }] } } },
            ss: { SS: ['x', 'y'] },
          },
        },
      },
      source,
    );
    expect(out).toEqual({
      eventID: 'id-1',
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal',
      eventSourceARN: source.streamArn,
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(created.getTime() / 1000),
        SequenceNumber: '42',
        SizeBytes: 12,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
        Keys: { pk: { S: 'a' } },
        NewImage: {
          b: { B: 'AQID' },
          bs: { BS: ['/w=='] },
          m: { M: { l: { L: [{ N: '1' }, { BOOL: true }, { NULL: true }] } } },
          ss: { SS: ['x', 'y'] },
        },
      },
    });
  });
});

describe('interpretResponse', () => {
  const records = [1, 2, 3].map((n) => toLambdaRecord(record(n), source));

  it('treats no response and an empty failure list as success', () => {
    for (const result of [
      undefined,
      null,
      'ok',
      {},
      { batchItemFailures: null },
      { batchItemFailures: [] },
    ]) {
      expect(interpretResponse(result, records)).toEqual({ kind: 'ok' });
    }
  });

  it('retries from the lowest failed record', () => {
    const result = { batchItemFailures: [{ itemIdentifier: '3' }, { itemIdentifier: '2' }] };
    expect(interpretResponse(result, records)).toEqual({
      kind: 'partial',
      firstFailed: 1,
      error: 'batchItemFailures: 3, 2',
    });
  });

  it('fails the whole batch for a malformed or unknown identifier', () => {
    for (const result of [
      { batchItemFailures: 'x' },
      { batchItemFailures: [{}] },
      { batchItemFailures: [{ itemIdentifier: '' }] },
      { batchItemFailures: [null] },
      { batchItemFailures: [{ itemIdentifier: '99' }] },
    ]) {
      expect(interpretResponse(result, records).kind).toBe('error');
    }
  });
});

describe('mayStartReading', () => {
  const parent: Shard = { ShardId: 'p' };
  const child: Shard = { ShardId: 'c', ParentShardId: 'p' };
  const progress = (over: { finished?: string[]; reading?: string[]; shards?: Shard[] }) => ({
    shards: new Map((over.shards ?? [parent, child]).map((s) => [s.ShardId!, s])),
    isFinished: (id: string) => (over.finished ?? []).includes(id),
    isReading: (id: string) => (over.reading ?? []).includes(id),
  });

  it('holds a child shard back until its parent is finished', () => {
    expect(mayStartReading(parent, progress({}))).toBe(true);
    expect(mayStartReading(child, progress({}))).toBe(false);
    expect(mayStartReading(child, progress({ reading: ['p'], shards: [child] }))).toBe(false);
    expect(mayStartReading(child, progress({ finished: ['p'] }))).toBe(true);
    // The parent was trimmed from the stream before it was read: nothing to wait for.
    expect(mayStartReading(child, progress({ shards: [child] }))).toBe(true);
  });

  it('never starts a shard twice or a finished one', () => {
    expect(mayStartReading(parent, progress({ reading: ['p'] }))).toBe(false);
    expect(mayStartReading(parent, progress({ finished: ['p'] }))).toBe(false);
  });
});

describe('deliverBatch', () => {
  function harness(
    handler: StreamHandler,
    over: Partial<Omit<BatchDeliveryOptions, 'handler' | 'checkpoint' | 'deadLetter'>> = {},
  ) {
    const invoked: number[][] = [];
    const checkpoints: string[] = [];
    const letters: FailedBatch[] = [];
    const opts: BatchDeliveryOptions = {
      shardId: 'shard-1',
      source,
      subscription: { retryAttempts: 2, maxRecordAgeSeconds: 3600, bisectBatchOnError: true },
      handler: async (event, context) => {
        invoked.push(event.Records.map((r) => Number(r.dynamodb?.SequenceNumber)));
        return handler(event, context);
      },
      functionName: 'local-test',
      timeoutSeconds: 60,
      retryDelayMs: 0,
      signal: new AbortController().signal,
      isStopping: () => false,
      checkpoint: async (sequenceNumber) => {
        checkpoints.push(sequenceNumber);
      },
      deadLetter: async (letter) => {
        letters.push(letter);
      },
      ...over,
    };
    return { opts, invoked, checkpoints, letters };
  }
  const batch = (ns: number[], matched = ns.map(() => true)) => ({
    records: ns.map((n) => record(n)),
    matched,
  });
  const seqs = (records: DynamoDBRecord[]) => records.map((r) => Number(r.dynamodb?.SequenceNumber));

  it('invokes once with the matching records and checkpoints the last record of the batch', async () => {
    const h = harness(async () => undefined);
    await deliverBatch(batch([1, 2, 3, 4], [true, false, true, false]), h.opts);
    expect(h.invoked).toEqual([[1, 3]]);
    // The trailing filtered-out record is processed too.
    expect(h.checkpoints).toEqual(['3', '4']);
  });

  it('gives each invocation the deadline it is configured with (the subscription’s timeout)', async () => {
    const remaining: number[] = [];
    const h = harness(
      async (_event, context) => {
        remaining.push(Math.ceil(context.getRemainingTimeInMillis() / 1000));
      },
      { timeoutSeconds: 7 },
    );
    await deliverBatch(batch([1]), h.opts);
    expect(remaining).toEqual([7]);
  });

  it('checkpoints a batch of filtered-out records without invoking', async () => {
    const h = harness(async () => undefined);
    await deliverBatch(batch([1, 2], [false, false]), h.opts);
    expect(h.invoked).toEqual([]);
    expect(h.checkpoints).toEqual(['2']);
  });

  it('bisects on error and dead-letters the poison record after its retries', async () => {
    const h = harness(async (event) => {
      if (seqs(event.Records).includes(3)) throw new Error('poison 3');
    });
    await deliverBatch(batch([1, 2, 3, 4]), h.opts);
    expect(h.invoked).toEqual([[1, 2, 3, 4], [1, 2], [3, 4], [3], [3], [3], [4]]);
    expect(h.letters).toHaveLength(1);
    expect(h.letters[0]).toMatchObject({
      shardId: 'shard-1',
      startSequenceNumber: '3',
      endSequenceNumber: '3',
      batchSize: 1,
      attempts: 3,
      records: [{ eventID: 'e3', eventName: 'INSERT', sequenceNumber: '3', keys: { pk: { S: 'P#3' } } }],
    });
    expect(h.letters[0]?.error).toContain('poison 3');
    expect(h.checkpoints).toEqual(['2', '3', '4']);
  });

  it('without bisect, retries the whole batch and dead-letters all of it', async () => {
    const h = harness(
      async () => {
        throw new Error('down');
      },
      { subscription: { retryAttempts: 1, maxRecordAgeSeconds: 3600, bisectBatchOnError: false } },
    );
    await deliverBatch(batch([1, 2]), h.opts);
    expect(h.invoked).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(h.letters.map((l) => [l.startSequenceNumber, l.endSequenceNumber, l.attempts])).toEqual([
      ['1', '2', 2],
    ]);
    expect(h.checkpoints).toEqual(['2']);
  });

  it('dead-letters a failing record older than maxRecordAgeSeconds at once', async () => {
    const h = harness(
      async () => {
        throw new Error('down');
      },
      { subscription: { retryAttempts: -1, maxRecordAgeSeconds: 60, bisectBatchOnError: false } },
    );
    await deliverBatch({ records: [record(1, 120)], matched: [true] }, h.opts);
    expect(h.invoked).toEqual([[1]]);
    expect(h.letters[0]?.error).toMatch(/down[\s\S]*\(record older than maxRecordAgeSeconds\)$/);
  });

  it('stops retrying when the poller stops, leaving the failed record unchecked', async () => {
    let stopping = false;
    const h = harness(
      async (event) => {
        stopping = true;
        return { batchItemFailures: [{ itemIdentifier: event.Records[1]!.dynamodb!.SequenceNumber! }] };
      },
      { isStopping: () => stopping },
    );
    await expect(deliverBatch(batch([1, 2, 3]), h.opts)).rejects.toBeInstanceOf(Stopped);
    expect(h.checkpoints).toEqual(['1']);
    expect(h.letters).toEqual([]);
  });
});
