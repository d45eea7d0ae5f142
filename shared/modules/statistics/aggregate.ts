import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type {
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  AttributeValue as LambdaAttributeValue,
} from 'aws-lambda';
import { metricNames } from '../../platform/config.js';
import { MalformedRecordError } from '../../platform/counting.js';
import { logger, metrics } from '../../platform/observability.js';
import { tenantOfKey } from '../../platform/table/tenant-context.js';
import { applyChanges, type SourceChange } from './apply.js';
import type { CountingEngine } from './engine.js';

const image = (img: Record<string, LambdaAttributeValue> | undefined) =>
  img ? unmarshall(img as Record<string, AttributeValue>) : undefined;

/**
 * The stream aggregator: each record's delta is contributions(new) − contributions(old); the
 * batch is collapsed to one delta per counter item and applied exactly once (see applyChanges).
 * A record that cannot be read (poison) is reported in batchItemFailures — the rest of the
 * batch is applied, redelivered good records are deduplicated, and after the bounded retries
 * the poison goes to the dead-letter destination without blocking the shard.
 */
export async function aggregate(
  engine: CountingEngine,
  event: DynamoDBStreamEvent,
): Promise<DynamoDBBatchResponse> {
  const changes: SourceChange[] = [];
  const failures: string[] = [];
  for (const record of event.Records) {
    try {
      changes.push(changeOf(engine, record));
    } catch (error) {
      if (!(error instanceof MalformedRecordError)) throw error;
      logger.error('poison stream record', { eventId: record.eventID, reason: error.message });
      failures.push(record.dynamodb?.SequenceNumber ?? '');
    }
  }
  const { counterWrites, skipped } = await applyChanges(changes);
  metrics.addMetric(metricNames.counterBatchesApplied, 'Count', 1);
  metrics.addMetric('CounterWrites', 'Count', counterWrites);
  if (skipped > 0) logger.info('redelivered stream records skipped', { skipped });
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
}

function changeOf(engine: CountingEngine, record: DynamoDBRecord): SourceChange {
  const pk = record.dynamodb?.Keys?.pk?.S;
  const sk = record.dynamodb?.Keys?.sk?.S;
  const tenantId = pk ? tenantOfKey(pk) : undefined;
  const newImage = image(record.dynamodb?.NewImage);
  const version = newImage?.version;
  if (!pk || !sk || !tenantId) throw new MalformedRecordError('record has no tenant key');
  if (typeof version !== 'number') throw new MalformedRecordError('record has no version');
  return {
    source: { pk, sk },
    version,
    tenantId,
    delta: engine.delta(image(record.dynamodb?.OldImage), newImage),
  };
}
