import { join } from 'node:path';
import { ensureConsoleBuilt } from '../../console/serve.js';
import { schedules, streamSubscriptions, tables } from '../../shared/app/index.js';
import { registryTableName } from '../../shared/platform/table/client.js';
import { ensureDynamoDbLocal, ensureTables, localDynamoClient } from './dynamodb.js';
import { loadHandler, runScheduled } from './handlers.js';
import { HttpHost } from './http-host.js';
import { Scheduler } from './scheduler.js';
import { localSettings, useLocalStack } from './settings.js';
import { StreamPoller } from './stream-poller.js';

/**
 * `npm start`: the whole system on one machine — DynamoDB Local, the tables from the one
 * definition, the stream poller, the scheduler and the HTTP API, all running the same handlers
 * as AWS. Ctrl-C or SIGTERM stops everything it started.
 */
const log = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);

/** One readable line of a job's result (its counts, not its per-tenant details). */
function summary(result: unknown): string {
  if (!result || typeof result !== 'object') return 'done';
  return Object.entries(result)
    .filter(([, v]) => typeof v !== 'object')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

async function main(): Promise<void> {
  const settings = localSettings();
  useLocalStack(settings);
  log(`data in ${settings.dataDir}`);

  // what a test stack may change: see the host below
  const testStack = process.env.LOCAL_TEST_STACK === 'true';
  const testLimits = testStack ? testStackLimitsFromEnv() : undefined;
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    for (const stop of stops.reverse()) await stop().catch((e: Error) => log(`stop failed: ${e.message}`));
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const dynamo = await ensureDynamoDbLocal({
    port: settings.dynamoPort,
    dataDir: join(settings.dataDir, 'dynamodb'),
    log,
  });
  stops.push(() => dynamo.stop());
  log(
    dynamo.startedHere
      ? `DynamoDB Local started on ${dynamo.endpoint}`
      : `using DynamoDB Local already on ${dynamo.endpoint}`,
  );
  await ensureTables(localDynamoClient(dynamo.endpoint), tables);

  for (const subscription of streamSubscriptions) {
    const poller = new StreamPoller({
      dynamoEndpoint: dynamo.endpoint,
      tableName: registryTableName(),
      subscription,
      handler: await loadHandler(subscription.entry),
      stateDir: join(settings.dataDir, 'streams'),
      log,
      ...(testLimits?.timeoutFactor ? { timeoutFactor: testLimits.timeoutFactor } : {}),
    });
    await poller.start();
    stops.push(() => poller.stop());
    log(`stream poller attached (${subscription.name})`);
  }

  const scheduler = new Scheduler({
    schedules,
    invoke: async (schedule, event) => {
      log(`schedule ${schedule.name}: running`);
      await runScheduled(schedule, event, (_round, result) =>
        log(`schedule ${schedule.name}: ${summary(result)}`),
      );
    },
    log,
  });
  if (process.env.SCHEDULER_DISABLED === 'true')
    log('scheduler disabled (SCHEDULER_DISABLED=true); use npm run job');
  else {
    scheduler.start();
    stops.push(async () => scheduler.stop());
    log(
      `scheduler: ${schedules.map((s) => `${s.name} daily ${String(s.at.hour).padStart(2, '0')}:${String(s.at.minute).padStart(2, '0')} ${s.timeZone}`).join('; ')}`,
    );
  }

  // Test stacks (tests/support/local-stack.ts) set LOCAL_TEST_STACK=true: no console (the browser
  // tests serve their own build) and no per-route throttles (e2e signs up many townships a second;
  // the sign-up throttle itself is tested on a host of its own). The stage throttle stays, at the
  // rate the test stack names, the authorizer cache TTL may be shortened (LOCAL_TEST_LIMITS:
  // JSON of tests/support/local-stack.ts `testStackLimits`), so the revocation test waits seconds,
  // not the deployed 30 s, and the functions' deadlines stretched (the suite runs several stacks
  // on two cores); the deployed values are asserted by the infra tests.
  const host = new HttpHost({
    port: settings.port,
    log,
    console: !testStack,
    ...(testStack ? { routeThrottles: {} } : {}),
    ...(testLimits?.stageThrottle ? { throttle: testLimits.stageThrottle } : {}),
    ...(testLimits?.authorizerCacheTtlSeconds
      ? { authorizerCacheTtlSeconds: testLimits.authorizerCacheTtlSeconds }
      : {}),
    ...(testLimits?.timeoutFactor ? { timeoutFactor: testLimits.timeoutFactor } : {}),
  });
  const port = await host.start();
  stops.push(() => host.stop());
  log(`Township Registry API on http://127.0.0.1:${port} — ready (GET /v1/health)`);
  // The console at / is built in the background when missing or stale (the API is ready meanwhile).
  if (!testStack) {
    ensureConsoleBuilt({ log })
      .then(() => log(`web console on http://127.0.0.1:${port}/`))
      .catch((error: Error) => log(`the console build failed (the API still runs): ${error.message}`));
  }
}

/** What a test stack may change (LOCAL_TEST_LIMITS, JSON), checked: anything else fails start-up. */
function testStackLimitsFromEnv(): {
  stageThrottle?: { rateLimit: number; burstLimit: number };
  authorizerCacheTtlSeconds?: number;
  timeoutFactor?: number;
} {
  const raw = process.env.LOCAL_TEST_LIMITS;
  if (!raw) return {};
  const parsed = JSON.parse(raw) as Record<string, unknown>;
  const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  const throttle = parsed.stageThrottle as { rateLimit?: unknown; burstLimit?: unknown } | undefined;
  if (throttle !== undefined && !(positive(throttle.rateLimit) && positive(throttle.burstLimit)))
    throw new Error('LOCAL_TEST_LIMITS.stageThrottle needs positive rateLimit and burstLimit');
  const ttl = parsed.authorizerCacheTtlSeconds;
  if (ttl !== undefined && !positive(ttl))
    throw new Error('LOCAL_TEST_LIMITS.authorizerCacheTtlSeconds must be positive');
  const factor = parsed.timeoutFactor;
  if (factor !== undefined && !(positive(factor) && (factor as number) >= 1))
    throw new Error('LOCAL_TEST_LIMITS.timeoutFactor must be a number of at least 1');
  const unknown = Object.keys(parsed).filter(
    (k) => !['stageThrottle', 'authorizerCacheTtlSeconds', 'timeoutFactor'].includes(k),
  );
  if (unknown.length > 0) throw new Error(`LOCAL_TEST_LIMITS: unknown ${unknown.join(', ')}`);
  return {
    ...(throttle ? { stageThrottle: throttle as { rateLimit: number; burstLimit: number } } : {}),
    ...(ttl !== undefined ? { authorizerCacheTtlSeconds: ttl as number } : {}),
    ...(factor !== undefined ? { timeoutFactor: factor as number } : {}),
  };
}

main().catch((error: Error) => {
  console.error(`npm start failed: ${error.message}`);
  process.exit(1);
});
