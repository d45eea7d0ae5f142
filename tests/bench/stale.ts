import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { gridRepository } from '../../shared/modules/grids/repository.js';
import { personRepository } from '../../shared/modules/people/repository.js';
import { closeStaleRegistrations } from '../../shared/modules/people/use-cases/close-stale.js';
import { createTenant, tenantRepository } from '../../shared/modules/tenants/repository.js';
import { addDays, todayIn } from '../../shared/platform/dates.js';
import { deploymentSecret } from '../../shared/platform/secrets.js';
import { documentClient } from '../../shared/platform/table/client.js';
import type { TenantContext } from '../../shared/platform/table/tenant-context.js';
import type { Api } from './api.js';
import { batchWrite, capturePuts } from './loader.js';
import { countingReads, type ReadCount, waitUntil } from './measure.js';
import { registrationBody, registrationOf } from './people.js';

export interface StaleFigure {
  tenant: TenantContext;
  grids: string[];
  active: number;
  due: number;
  /** Items written by the loader (3 per registration) and how long BatchWriteItem took. */
  loadedItems: number;
  loadMs: number;
  /** After the load: until the stream aggregator had counted every registration. */
  loadCatchUpMs: number;
  closeMs: number;
  closed: number;
  candidates: number;
  skipped: number;
  reads: ReadCount;
}

/**
 * Figure 4: a fresh township with `active + due` active registrations, `due` of them last seen
 * before the tenant's staleAfterDays, loaded in-process with exactly the items the person
 * repository writes (see capturePuts); then `closeStaleRegistrations` in-process, counting every item
 * it reads. The stack's stream aggregator is let catch up before and after (untimed).
 */
export async function staleCloser(
  api: Api,
  opts: { active: number; due: number; grids: number; concurrency: number; firstIndex: number },
): Promise<StaleFigure> {
  const signup = await createTenant({
    townshipName: 'Bench stale',
    adminName: 'Bench',
    adminEmail: 'bench@example.cn',
  });
  const tenant: TenantContext = { tenantId: signup.tenantId };
  const settings = (await tenantRepository(tenant).get())?.settings;
  if (!settings) throw new Error('the bench tenant was not created');
  const today = todayIn(settings.timeZone);
  const grids: string[] = [];
  for (let i = 0; i < opts.grids; i++)
    grids.push(
      (await gridRepository(tenant).create({ name: `Bench grid ${i + 1}`, community: 'Bench' })).gridId,
    );

  const secret = await deploymentSecret();
  const repo = personRepository(tenant);
  const actor = { keyId: signup.keyId, name: 'bench loader' };
  const total = opts.active + opts.due;
  const every = Math.floor(total / opts.due); // every `every`-th registration is due
  let due = 0;
  // The repository builds each registration's transaction (ID guard, person, history, and a
  // ConditionCheck of the grid); its items are written with BatchWriteItem: the same items, much
  // faster than a transaction each.
  const { puts, checks } = await capturePuts(documentClient(), async () => {
    for (let k = 0; k < total; k++) {
      const isDue = k % every === 0 && k / every < opts.due;
      if (isDue) due++;
      const arrivedOn = isDue
        ? addDays(today, -(settings.staleAfterDays + 1 + (k % 60)))
        : addDays(today, -(k % settings.staleAfterDays));
      const tr = registrationOf(registrationBody(opts.firstIndex + k, grids, arrivedOn), k + 1, today);
      await repo.register({
        transition: tr,
        idHash: secret.idNumberHash(tenant.tenantId, tr.person.idNumber),
        actor,
      });
    }
  });
  // Each transaction also checks that its grid exists: the loader checks each grid once instead.
  const checked = new Map(checks.map((c) => [JSON.stringify([c.TableName, c.Key]), c]));
  for (const check of checked.values()) {
    const found = await documentClient().send(new GetCommand({ ...check, ConsistentRead: true }));
    if (!found.Item)
      throw new Error(`the loader's registrations name a missing item ${JSON.stringify(check.Key)}`);
  }
  const loadMs = await batchWrite(documentClient(), puts, opts.concurrency);
  const loaded = await waitUntil(
    'stats after loading the stale-closer township',
    () => api.floatingPopulation(signup.apiKey),
    (n) => n === total,
    { intervalMs: 250, timeoutMs: 180_000 },
  );

  const started = performance.now();
  const { result: report, reads } = await countingReads(documentClient(), () =>
    closeStaleRegistrations(tenant),
  );
  const closeMs = performance.now() - started;

  await waitUntil(
    'stats after closing',
    () => api.floatingPopulation(signup.apiKey),
    (n) => n === total - report.closed,
    { intervalMs: 100, timeoutMs: 60_000 },
  );
  return {
    tenant,
    grids,
    active: total - due,
    due,
    loadedItems: puts.length,
    loadMs,
    loadCatchUpMs: loaded.ms,
    closeMs,
    closed: report.closed,
    candidates: report.candidates,
    skipped: report.skipped,
    reads,
  };
}
