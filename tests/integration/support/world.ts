import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { StreamPoller } from '../../../infra/local/stream-poller.js';
import { streamSubscriptions } from '../../../shared/app/index.js';
import { gridRepository } from '../../../shared/modules/grids/repository.js';
import { personRepository } from '../../../shared/modules/people/repository.js';
import { parseIdNumber } from '../../../shared/modules/people/rules/id-number.js';
import {
  type Person,
  personIdPrefix,
  type RegistrationInput,
  register,
} from '../../../shared/modules/people/rules/person.js';
import { createTenant } from '../../../shared/modules/tenants/repository.js';
import type { Principal } from '../../../shared/platform/access/principal.js';
import { todayIn } from '../../../shared/platform/dates.js';
import { mintId } from '../../../shared/platform/ids.js';
import { deploymentSecret } from '../../../shared/platform/secrets.js';
import { defaultSettings } from '../../../shared/platform/settings.js';
import { idNumberFor } from '../../support/people.js';
import { createTestTables, type TestTables } from './dynamo.js';

process.env.DEPLOYMENT_SECRET ??= 'integration-test-secret';

/** A tenant with grids in this file's own tables, and helpers to write through the repositories. */
export async function world(prefix: string, gridCount = 2, options: { tables?: TestTables } = {}) {
  const tables = options.tables ?? (await createTestTables(prefix));
  const signup = await createTenant({ townshipName: prefix, adminName: 'Admin', adminEmail: 'a@example.cn' });
  const principal: Principal = {
    tenantId: signup.tenantId,
    keyId: signup.keyId,
    keyName: 'Admin',
    role: 'admin',
    gridIds: undefined,
    settings: defaultSettings,
  };
  const grids: string[] = [];
  for (let i = 0; i < gridCount; i++)
    grids.push((await gridRepository(principal).create({ name: `G${i}`, community: 'C' })).gridId);
  const today = todayIn('Asia/Shanghai');
  const secret = await deploymentSecret();

  async function registerPerson(
    overrides: Partial<RegistrationInput> & { sex?: 'female' | 'male'; born?: string } = {},
  ): Promise<Person & { idHash: string }> {
    const idNumber = idNumberFor(overrides.sex ?? 'female', overrides.born ?? '1990-06-01');
    const id = parseIdNumber(idNumber, today);
    if (!id.ok) throw new Error(id.message);
    const repo = personRepository(principal);
    const tr = register(
      {
        name: 'P',
        flow: 'inflow',
        gridId: grids[0] as string,
        address: 'A',
        arrivedOn: today,
        maritalStatus: 'married',
        ...overrides,
        idNumber: id.value.idNumber,
        sex: id.value.sex,
        birthDate: id.value.birthDate,
      },
      { personId: mintId(personIdPrefix), cardNumber: await repo.nextCardNumber() },
      today,
      new Date().toISOString(),
    );
    const idHash = secret.idNumberHash(principal.tenantId, id.value.idNumber);
    await repo.register({ transition: tr, idHash, actor: { keyId: principal.keyId, name: 'Admin' } });
    return { ...tr.person, idHash };
  }

  /** Read every stream record written so far through the real poller (filters and all). */
  async function streamEvents(): Promise<DynamoDBStreamEvent[]> {
    const events: DynamoDBStreamEvent[] = [];
    const poller = new StreamPoller({
      dynamoEndpoint: tables.endpoint,
      tableName: tables.registry,
      subscription: statisticsSubscription(),
      handler: async (event) => {
        events.push(structuredClone(event));
        return { batchItemFailures: [] };
      },
      stateDir: mkdtempSync(join(tmpdir(), 'stream-capture-')),
      pollIntervalMs: 50,
    });
    await poller.start();
    await poller.drain(20_000);
    await poller.stop();
    return events;
  }

  return { tables, principal, grids, today, registerPerson, streamEvents };
}

const statisticsSubscription = () => {
  const found = streamSubscriptions.find((sub) => sub.name === 'statistics');
  if (!found) throw new Error('no statistics subscription in shared/app');
  return found;
};

export const records = (events: DynamoDBStreamEvent[]): DynamoDBRecord[] => events.flatMap((e) => e.Records);
export const asEvent = (rs: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: rs });
