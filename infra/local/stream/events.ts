/**
 * Event shaping: DynamoDB Streams API records (SDK types) as Lambda delivers them in a
 * DynamoDBStreamEvent (JSON: epoch-second creation time, binary values as base64).
 */
import { randomUUID } from 'node:crypto';
import type { _Record, AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from 'aws-lambda';

/** Where the records come from: the stream and its region (part of every Lambda record). */
export interface EventSource {
  streamArn: string;
  awsRegion: string;
}

/** One stream record as a record of a Lambda DynamoDBStreamEvent. */
export function toLambdaRecord(record: _Record, source: EventSource): DynamoDBRecord {
  const sr = record.dynamodb ?? {};
  const dynamodb: NonNullable<DynamoDBRecord['dynamodb']> = {};
  if (sr.ApproximateCreationDateTime !== undefined) {
    dynamodb.ApproximateCreationDateTime = Math.floor(
      new Date(sr.ApproximateCreationDateTime).getTime() / 1000,
    );
  }
  if (sr.Keys) dynamodb.Keys = toLambdaImage(sr.Keys);
  if (sr.NewImage) dynamodb.NewImage = toLambdaImage(sr.NewImage);
  if (sr.OldImage) dynamodb.OldImage = toLambdaImage(sr.OldImage);
  if (sr.SequenceNumber !== undefined) dynamodb.SequenceNumber = sr.SequenceNumber;
  if (sr.SizeBytes !== undefined) dynamodb.SizeBytes = sr.SizeBytes;
  if (sr.StreamViewType !== undefined) dynamodb.StreamViewType = sr.StreamViewType;
  const out: DynamoDBRecord = {
    eventID: record.eventID ?? randomUUID(),
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: source.awsRegion,
    dynamodb,
    eventSourceARN: source.streamArn,
  };
  if (record.userIdentity?.Type || record.userIdentity?.PrincipalId) {
    out.userIdentity = { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
  }
  return out;
}

export function toLambdaImage(image: Record<string, AttributeValue>): Record<string, LambdaAttributeValue> {
  const out: Record<string, LambdaAttributeValue> = {};
  for (const [k, v] of Object.entries(image)) out[k] = toLambdaValue(v);
  return out;
}

/** SDK attribute values as Lambda delivers them in JSON (binary as base64). */
export function toLambdaValue(value: AttributeValue): LambdaAttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  return { NULL: true }; // no other DynamoDB types exist
}
