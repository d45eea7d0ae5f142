import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from '../../../infra/local/dynamodb.js';
import { registryTable } from '../../../shared/app/index.js';
import { checkCharacter } from '../../../shared/modules/people/rules/id-number.js';
import { idempotencyTable } from '../../../shared/platform/table/definition.js';

const idLike = /(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])/g;
const mobileLike = /(?<![0-9A-Za-z])(1[3-9]\d{9})(?![0-9A-Za-z])/g;
/**
 * A mainland mobile as people also write it — with the country code, spaces or dashes
 * (`+86 138 1234 5678`, `138-1234-5678`): the phone fields of people, landlords and house
 * contacts accept those forms, so a leak of one must be found too.
 */
const mobileWritten =
  /(?<![0-9A-Za-z+])(?:\+?86[ -]?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})|(1[3-9]\d)(?:[ -](\d{4})[ -]?|(\d{4})[ -])(\d{4}))(?![0-9A-Za-z])/g;

/** Every checksum-valid resident ID number and every mainland mobile number in a text. */
export function personalDataIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(idLike)) {
    const id = (m[1] as string).toUpperCase();
    if (checkCharacter(id.slice(0, 17)) === id[17]) found.push(`ID number …${id.slice(-4)}`);
  }
  const written = [...text.matchAll(mobileWritten)];
  const inWritten = (i: number) => written.some((w) => i >= w.index && i < w.index + w[0].length);
  for (const m of text.matchAll(mobileLike))
    if (!inWritten(m.index)) found.push(`phone …${(m[1] as string).slice(-4)}`);
  for (const m of written) found.push(`phone …${m[3] ?? m[7]}`);
  for (const m of text.matchAll(/trk_[A-Za-z0-9_-]{20,}/g)) found.push(`API key …${m[0].slice(-4)}`);
  return found;
}

/**
 * Scan what must never hold personal data: the log output, every key and index attribute of
 * the table, and everything projected into each index.
 */
export async function scanForPersonalData(dynamoEndpoint: string, logText: string): Promise<string[]> {
  const findings = personalDataIn(logText).map((f) => `log: ${f}`);
  const client = localDynamoClient(dynamoEndpoint);
  const keyAttributes = new Set<string>([registryTable.partitionKey, registryTable.sortKey ?? 'sk']);
  for (const index of registryTable.indexes) {
    keyAttributes.add(index.partitionKey);
    keyAttributes.add(index.sortKey);
  }
  const names = Object.fromEntries([...keyAttributes].map((a, i) => [`#a${i}`, a]));
  const scans: { label: string; input: ConstructorParameters<typeof ScanCommand>[0] }[] = [
    {
      label: 'keys',
      input: {
        TableName: registryTable.name,
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
      },
    },
    // The idempotency table keeps responses for 24 h: all of it, sealed — nothing in clear.
    { label: 'idempotency table', input: { TableName: idempotencyTable.name } },
    ...registryTable.indexes.map((index) => ({
      label: `index ${index.name}`,
      input: { TableName: registryTable.name, IndexName: index.name },
    })),
  ];
  for (const { label, input } of scans) {
    let start: ConstructorParameters<typeof ScanCommand>[0]['ExclusiveStartKey'];
    do {
      const out = await client.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
      for (const item of out.Items ?? []) {
        for (const f of personalDataIn(JSON.stringify(item))) findings.push(`${label}: ${f}`);
      }
      start = out.LastEvaluatedKey;
    } while (start);
  }
  client.destroy();
  return findings;
}
