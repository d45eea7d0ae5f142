import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext, loadHandler } from '../../../../infra/local/handlers.js';
import { scheduledEvent } from '../../../../infra/local/scheduler.js';
import { housingIndexKeys, housingKeys, letterShardOf } from '../../../../shared/modules/housing/keys.js';
import {
  flagExpiringLettersSchedule,
  letterRoutes as routes,
} from '../../../../shared/modules/housing/letters/index.js';
import { flagExpiringLettersInEveryTenant } from '../../../../shared/modules/housing/letters/jobs.js';
import type { Letter } from '../../../../shared/modules/housing/letters/rules/letter.js';
import type { LetterBody } from '../../../../shared/modules/housing/letters/schemas.js';
import { flagExpiringLetters } from '../../../../shared/modules/housing/letters/use-cases/flag-expiring.js';
import { revokeLetter } from '../../../../shared/modules/housing/letters/use-cases/revoke.js';
import { signLetter } from '../../../../shared/modules/housing/letters/use-cases/sign.js';
import { tenantRepository } from '../../../../shared/modules/tenants/repository.js';
import { addDays } from '../../../../shared/platform/dates.js';
import { documentClient, dynamoClient, registryTableName } from '../../../../shared/platform/table/client.js';
import type { TestTables } from '../../support/dynamo.js';
import { lettersHttp, letterTables, letterWorld } from './support.js';

type World = Awaited<ReturnType<typeof letterWorld>>;
let tables: TestTables;
let n = 0;
const call = lettersHttp();

beforeAll(async () => {
  tables = await letterTables('letters-job');
});
afterEach(() => vi.restoreAllMocks());

async function setup(gridCount = 2) {
  const w = await letterWorld(`letters-job-${n++}`, gridCount, tables);
  const landlordId = await w.landlord();
  const sign = async (houseId: string, over: Partial<LetterBody> = {}): Promise<Letter> =>
    signLetter({
      principal: w.principal,
      workspace: { settings: w.principal.settings, today: w.today },
      body: { ...w.body({ houseId, landlordId }), ...over },
    });
  const day = (d: number) => addDays(w.today, d);
  return { ...w, landlordId, sign, day };
}

const item = async (key: { pk: string; sk: string }) =>
  (
    await documentClient().send(
      new GetCommand({ TableName: registryTableName(), Key: key, ConsistentRead: true }),
    )
  ).Item as Record<string, unknown>;

async function events(partition: string, action?: string): Promise<Record<string, unknown>[]> {
  const out = await documentClient().send(
    new QueryCommand({
      TableName: registryTableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': partition, ':e': housingKeys.eventPrefix },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).filter((e) => action === undefined || e.action === action);
}

const letterEvents = (w: World, letterId: string, action?: string) =>
  events(housingKeys.letterPartition(w.principal, letterId), action);

describe('flag-expiring-letters: phase 1 (flag)', () => {
  it('flags exactly the letters inside the window, expires the past ones; a second run does nothing', async () => {
    const w = await setup();
    const h = await w.house();
    const inside5 = await w.sign(h, { validUntil: w.day(5) });
    const edge = await w.sign(h, { validUntil: w.day(30) }); // today + warningDays: inside
    const outside = await w.sign(h, { validUntil: w.day(31) });
    const today = await w.sign(h, { kind: 'guarantee', validUntil: w.today });
    const past = await w.sign(h, { kind: 'guarantee', validFrom: w.day(-60), validUntil: w.day(-2) });
    const revoked = await w.sign(h, { kind: 'guarantee', validUntil: w.day(3) });
    await revokeLetter({
      principal: w.principal,
      letterId: revoked.letterId,
      expectedVersion: 1,
      reason: 'x',
    });

    const first = await flagExpiringLetters(w.principal);
    expect(first).toMatchObject({
      today: w.today,
      warningDays: 30,
      flagged: 4,
      expired: 1,
      housesLapsed: 0,
      skipped: 0,
    });
    for (const l of [inside5, edge, today]) {
      const it = await item(housingKeys.letter(w.principal, l.letterId));
      expect(it).toMatchObject({
        status: 'valid',
        expiringFlaggedOn: w.today,
        version: 2,
        duePk: housingIndexKeys.lettersLapsing(w.principal, letterShardOf(l.letterId)),
        dueSk: housingIndexKeys.letterDueSk(l.validUntil, l.letterId),
      });
      expect(await letterEvents(w, l.letterId, 'flagged-expiring')).toHaveLength(1);
    }
    const expired = await item(housingKeys.letter(w.principal, past.letterId));
    expect(expired).toMatchObject({ status: 'expired', expiringFlaggedOn: w.today, version: 3 });
    expect(expired.duePk).toBeUndefined();
    expect((await letterEvents(w, past.letterId)).map((e) => e.action).sort()).toEqual([
      'expired',
      'flagged-expiring',
      'signed',
    ]);
    expect(await item(housingKeys.letter(w.principal, outside.letterId))).toMatchObject({
      expiringFlaggedOn: null,
      version: 1,
      duePk: housingIndexKeys.lettersExpiring(w.principal, letterShardOf(outside.letterId)),
    });
    expect(await item(housingKeys.letter(w.principal, revoked.letterId))).toMatchObject({
      status: 'revoked',
      expiringFlaggedOn: null,
    });
    // an event of the job names the job as its actor
    expect((await letterEvents(w, edge.letterId, 'flagged-expiring'))[0]?.actor).toEqual({
      keyId: 'system',
      name: 'flag-expiring-letters',
    });

    const second = await flagExpiringLetters(w.principal);
    expect(second).toMatchObject({ candidates: 0, flagged: 0, expired: 0 });

    // the worklist: flagged letters, soonest validUntil first, in the key's scope
    const list = await call(w.principal, 'GET', routes.expiring.path);
    expect(list.status).toBe(200);
    expect((list.body.items as { letterId: string }[]).map((l) => l.letterId)).toEqual([
      today.letterId,
      inside5.letterId,
      edge.letterId,
    ]);
    const pageOne = await call(w.principal, 'GET', routes.expiring.path, { query: { limit: '2' } });
    const pageTwo = await call(w.principal, 'GET', routes.expiring.path, {
      query: { limit: '2', cursor: pageOne.body.nextCursor as string },
    });
    expect((pageTwo.body.items as { letterId: string }[]).map((l) => l.letterId)).toEqual([edge.letterId]);
    expect(pageTwo.body.nextCursor).toBeNull();
    const otherGrid = w.gridKey([w.grids[1] as string]);
    expect((await call(otherGrid, 'GET', routes.expiring.path)).body.items).toEqual([]);
    expect(
      (await call(otherGrid, 'GET', routes.expiring.path, { query: { gridId: w.grids[0] as string } }))
        .status,
    ).toBe(403);
  });

  it('follows the tenant setting letterExpiryWarningDays (default 30 when it is missing)', async () => {
    const w = await setup();
    await tenantRepository(w.principal).updateSettings({ letterExpiryWarningDays: 7 } as never);
    const h = await w.house();
    const seven = await w.sign(h, { validUntil: w.day(7) });
    const eight = await w.sign(h, { validUntil: w.day(8) });
    const report = await flagExpiringLetters(w.principal);
    expect(report).toMatchObject({ warningDays: 7, flagged: 1 });
    expect((await item(housingKeys.letter(w.principal, seven.letterId))).expiringFlaggedOn).toBe(w.today);
    expect((await item(housingKeys.letter(w.principal, eight.letterId))).expiringFlaggedOn).toBeNull();
  });

  it('concurrent runs flag each letter exactly once', async () => {
    const w = await setup();
    const h = await w.house();
    const letters: Letter[] = [];
    for (let i = 0; i < 8; i++) letters.push(await w.sign(h, { validUntil: w.day(i) }));
    const runs = await Promise.all([1, 2, 3].map(() => flagExpiringLetters(w.principal)));
    expect(runs.reduce((s, r) => s + r.flagged, 0)).toBe(8);
    for (const l of letters) expect(await letterEvents(w, l.letterId, 'flagged-expiring')).toHaveLength(1);
  });
});

/**
 * Two runs that both read a letter before either writes: the version condition lets exactly one
 * flag it. The negative control removes that condition from the letter's write (the test strips
 * it from the transaction on its way to the table) and sees the letter flagged twice.
 */
describe('"nothing twice" rests on the version condition', () => {
  async function raceTwoRuns(stripVersionCondition: boolean) {
    const w = await setup();
    const letter = await w.sign(await w.house(), { validUntil: w.day(3) });
    const letterKey = housingKeys.letter(w.principal, letter.letterId);
    const client = documentClient();
    const realSend = client.send.bind(client) as (...a: unknown[]) => Promise<unknown>;
    let reads = 0;
    let release: () => void = () => undefined;
    const bothRead = new Promise<void>((r) => {
      release = r;
    });
    vi.spyOn(client, 'send').mockImplementation((async (
      command: { constructor: { name: string }; input: Record<string, unknown> },
      ...rest: unknown[]
    ) => {
      if (command.constructor.name === 'TransactWriteCommand' && stripVersionCondition) {
        for (const t of command.input.TransactItems as { Put?: Record<string, unknown> }[]) {
          const put = t.Put;
          if (
            put &&
            (put.Item as { pk?: string }).pk === letterKey.pk &&
            (put.Item as { sk?: string }).sk === 'LETTER'
          ) {
            delete put.ConditionExpression;
            delete put.ExpressionAttributeNames;
            delete put.ExpressionAttributeValues;
          }
        }
      }
      const out = await realSend(command, ...rest);
      const key = command.input.Key as { pk?: string; sk?: string } | undefined;
      if (command.constructor.name === 'GetCommand' && key?.pk === letterKey.pk && key.sk === 'LETTER') {
        reads++;
        if (reads >= 2) release();
        await Promise.race([bothRead, new Promise((r) => setTimeout(r, 5_000))]);
      }
      return out;
    }) as typeof client.send);
    const runs = await Promise.all([flagExpiringLetters(w.principal), flagExpiringLetters(w.principal)]);
    vi.restoreAllMocks();
    expect(reads).toBeGreaterThanOrEqual(2); // (the loser reads the letter again to report it)
    return { runs, flagEvents: await letterEvents(w, letter.letterId, 'flagged-expiring') };
  }

  it('with the condition: both runs read version 1, one flags, the other is skipped', async () => {
    const { runs, flagEvents } = await raceTwoRuns(false);
    expect(runs.map((r) => r.flagged).sort()).toEqual([0, 1]);
    expect(runs.map((r) => r.skipped).sort()).toEqual([0, 1]);
    expect(flagEvents).toHaveLength(1);
  });

  it('negative control — without it, the same race flags the letter twice', async () => {
    const { runs, flagEvents } = await raceTwoRuns(true);
    expect(runs.map((r) => r.flagged)).toEqual([1, 1]);
    expect(flagEvents).toHaveLength(2);
  });
});

describe('flag-expiring-letters: phase 2 (expire) and the house’s security letter', () => {
  it('marks a house only when its last security letter valid today expires; a new one clears the mark', async () => {
    const w = await setup();
    const lonely = await w.house();
    const covered = await w.house();
    const guaranteeOnly = await w.house();
    const revokedOther = await w.house();
    const yesterday = { validFrom: w.day(-100), validUntil: w.day(-1) };
    const s1 = await w.sign(lonely, yesterday);
    const s2 = await w.sign(covered, yesterday);
    await w.sign(covered, { validFrom: w.day(-5), validUntil: w.day(200) });
    await w.sign(guaranteeOnly, { ...yesterday, kind: 'guarantee' });
    const s4 = await w.sign(revokedOther, yesterday);
    const r4 = await w.sign(revokedOther, { validUntil: w.day(200) });
    await revokeLetter({ principal: w.principal, letterId: r4.letterId, expectedVersion: 1, reason: 'x' });

    const report = await flagExpiringLetters(w.principal);
    expect(report).toMatchObject({ flagged: 4, expired: 4, housesLapsed: 2 });
    for (const l of [s1, s2, s4])
      expect((await item(housingKeys.letter(w.principal, l.letterId))).status).toBe('expired');

    const lapsed = await item(housingKeys.house(w.principal, lonely));
    expect(lapsed).toMatchObject({
      securityLetterLapsedOn: w.today,
      duePk: housingIndexKeys.housesLapsed(w.principal),
      dueSk: housingIndexKeys.houseLapsedSk(w.today, lonely),
      version: 2,
    });
    const houseEvents = await events(housingKeys.housePartition(w.principal, lonely));
    expect(houseEvents).toEqual([
      expect.objectContaining({
        entity: 'house-event',
        houseId: lonely,
        gridId: w.grids[0],
        action: 'security-letter-lapsed',
        actor: { keyId: 'system', name: 'flag-expiring-letters' },
        changedFields: ['securityLetterLapsedOn'],
        version: 2,
      }),
    ]);
    expect((await item(housingKeys.house(w.principal, revokedOther))).securityLetterLapsedOn).toBe(w.today);
    for (const h of [covered, guaranteeOnly]) {
      const house = await item(housingKeys.house(w.principal, h));
      expect(house.securityLetterLapsedOn).toBeNull(); // as the houses store an unmarked house
      expect(house.version).toBe(1);
      expect(await events(housingKeys.housePartition(w.principal, h))).toEqual([]);
    }
    // a second run changes nothing
    expect(await flagExpiringLetters(w.principal)).toMatchObject({ flagged: 0, expired: 0, housesLapsed: 0 });

    // a guarantee does not clear the mark; a new security letter (through the API) does, in its transaction
    await w.sign(lonely, { kind: 'guarantee' });
    expect((await item(housingKeys.house(w.principal, lonely))).securityLetterLapsedOn).toBe(w.today);
    const renewed = await call(w.gridKey([w.grids[0] as string]), 'POST', routes.create.path, {
      body: w.body({ houseId: lonely, landlordId: w.landlordId }),
    });
    expect(renewed.status).toBe(201);
    const cleared = await item(housingKeys.house(w.principal, lonely));
    expect(cleared.securityLetterLapsedOn).toBeUndefined();
    expect(cleared.duePk).toBeUndefined();
    expect(cleared.dueSk).toBeUndefined();
    expect(cleared.version).toBe(3);
    expect(
      (await events(housingKeys.housePartition(w.principal, lonely))).map((e) => e.action).sort(),
    ).toEqual(['security-letter-lapsed', 'security-letter-renewed']);
  });

  it('a closed house is not marked when its last security letter expires (its letting stopped)', async () => {
    const w = await setup();
    const closed = await w.house();
    const registered = await w.house();
    const yesterday = { validFrom: w.day(-100), validUntil: w.day(-1) };
    await w.sign(closed, yesterday);
    await w.sign(registered, yesterday);
    await w.setHouseStatus(closed, 'closed');
    expect(await flagExpiringLetters(w.principal)).toMatchObject({ expired: 2, housesLapsed: 1 });
    expect((await item(housingKeys.house(w.principal, closed))).securityLetterLapsedOn).toBeNull();
    expect((await item(housingKeys.house(w.principal, registered))).securityLetterLapsedOn).toBe(w.today);
  });

  it('a house the job marked after the letter read it: the new letter is retried and still clears the mark', async () => {
    const w = await setup();
    const h = await w.house();
    await w.sign(h, { validFrom: w.day(-30), validUntil: w.day(-1) });
    const client = documentClient();
    const realSend = client.send.bind(client) as (...a: unknown[]) => Promise<unknown>;
    let injected = false;
    vi.spyOn(client, 'send').mockImplementation((async (
      command: { constructor: { name: string }; input: Record<string, unknown> },
      ...rest: unknown[]
    ) => {
      const out = await realSend(command, ...rest);
      const key = command.input.Key as { pk?: string; sk?: string } | undefined;
      if (
        !injected &&
        command.constructor.name === 'GetCommand' &&
        key?.sk === 'HOUSE' &&
        key.pk?.endsWith(h)
      ) {
        injected = true;
        await flagExpiringLetters(w.principal); // marks the house between the read and the letter's write
      }
      return out;
    }) as typeof client.send);
    const letter = await w.sign(h);
    vi.restoreAllMocks();
    expect(injected).toBe(true);
    expect(letter.status).toBe('valid');
    const house = await item(housingKeys.house(w.principal, h));
    expect(house.securityLetterLapsedOn).toBeUndefined();
    expect((await events(housingKeys.housePartition(w.principal, h))).map((e) => e.action).sort()).toEqual([
      'security-letter-lapsed',
      'security-letter-renewed',
    ]);
  });
});

describe('the scheduled job', () => {
  it('resumes under a spent time budget: rounds continue from their checkpoint until done, nothing twice', async () => {
    const w = await setup();
    const h = await w.house();
    const letters: Letter[] = [];
    for (let i = 0; i < 5; i++) letters.push(await w.sign(h, { kind: 'guarantee', validUntil: w.day(i) }));
    let event: object = {};
    let rounds = 0;
    let flagged = 0;
    for (; rounds < 500; rounds++) {
      const result = await flagExpiringLettersInEveryTenant(event, { getRemainingTimeInMillis: () => 0 });
      flagged += result.reports
        .filter((r) => r.tenantId === w.principal.tenantId)
        .reduce((s, r) => s + r.flagged, 0);
      if (result.complete) break;
      expect(result.next?.continuation.hop).toBe(rounds + 1);
      event = result.next as object;
    }
    expect(rounds).toBeGreaterThan(1);
    expect(flagged).toBe(5);
    for (const l of letters) expect(await letterEvents(w, l.letterId, 'flagged-expiring')).toHaveLength(1);
  });

  it('sends exactly the table actions its schedule lists (flag, expire, mark a house)', async () => {
    const def = flagExpiringLettersSchedule;
    const w = await setup();
    const h = await w.house();
    await w.sign(h, { validFrom: w.day(-30), validUntil: w.day(-1) }); // flagged, expired, house marked
    await w.sign(h, { kind: 'guarantee', validUntil: w.day(3) }); // flagged
    const recorded = new Set<string>();
    const table = registryTableName();
    const recorder = 'letterJobActionRecorder';
    dynamoClient().middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        const name = (context.commandName ?? '?').replace(/Command$/, '');
        if (name === 'TransactWriteItems') {
          const iam: Record<string, string> = {
            Put: 'PutItem',
            Update: 'UpdateItem',
            Delete: 'DeleteItem',
            ConditionCheck: 'ConditionCheckItem',
          };
          for (const op of input.TransactItems as Record<string, { TableName?: string }>[])
            for (const [kind, body] of Object.entries(op))
              if (body?.TableName === table) recorded.add(`dynamodb:${iam[kind] ?? kind}`);
        } else if (name === 'BatchGetItem') {
          if (table in ((input.RequestItems as object | undefined) ?? {}))
            recorded.add('dynamodb:BatchGetItem');
        } else if (input.TableName === table) recorded.add(`dynamodb:${name}`);
        return next(args);
      },
      { step: 'initialize', name: recorder },
    );
    try {
      const handler = await loadHandler(def.entry);
      const result = await handler(scheduledEvent(def, new Date()), lambdaContext(def.name, 900));
      expect(result.complete).toBe(true);
      expect(result.housesLapsed).toBeGreaterThanOrEqual(1);
    } finally {
      dynamoClient().middlewareStack.remove(recorder);
    }
    expect([...recorded].sort()).toEqual([...def.tableActions].sort());
    expect(def).toMatchObject({
      name: 'flag-expiring-letters',
      at: { hour: 1, minute: 0 },
      timeZone: 'Asia/Shanghai',
      resumable: true,
    });
  });
});
