import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { continuationOf, maxContinuationHops, nextRound } from '../../shared/platform/continuation.js';
import type { ScheduleDefinition } from '../../shared/platform/module.js';
import { projectRoot } from '../project-root.js';

// biome-ignore lint/suspicious/noExplicitAny: handlers of every event type pass through here
export type AnyHandler = (event: any, context: Context) => Promise<any>;

const cache = new Map<string, Promise<AnyHandler>>();

/** Load the `handler` export of an entry file, exactly the file NodejsFunction bundles on AWS. */
export function loadHandler(entry: string, exportName = 'handler'): Promise<AnyHandler> {
  const key = `${entry}#${exportName}`;
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = import(pathToFileURL(resolve(projectRoot, entry)).href).then((mod) => {
      const fn = mod[exportName];
      if (typeof fn !== 'function') throw new Error(`${entry} has no export "${exportName}"`);
      return fn as AnyHandler;
    });
    cache.set(key, loaded);
  }
  return loaded;
}

/** A Lambda context as the runtime gives one, with a deadline. */
export function lambdaContext(functionName: string, timeoutSeconds = 30): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Run a scheduled job as its schedule says: once, or — for a resumable job that reports
 * `complete: false` — again with the round's `next` event until it completes, exactly as its
 * self-invocation does on AWS: the event carries the hop counter and the checkpoint
 * (shared/platform/continuation.ts), and the chain stops at the same hard limit — here with an
 * error, so the scheduler logs a failed run and `npm run job` exits non-zero. Used by the
 * scheduler of `npm start` and by `npm run job`.
 */
export async function runScheduled(
  schedule: ScheduleDefinition,
  event: unknown,
  onRound: (round: number, result: unknown) => void,
): Promise<void> {
  const handler = await loadHandler(schedule.entry);
  let current = event;
  for (let round = 1; ; round++) {
    const result = (await handler(current, lambdaContext(schedule.name, schedule.timeoutSeconds))) as
      | { complete?: boolean; next?: unknown }
      | undefined;
    onRound(round, result);
    if (!schedule.resumable || result?.complete !== false) return;
    // The round's own next event (hop + 1, its checkpoint); a handler that names none is given
    // the same event one hop further, as continueLater would send it.
    const next =
      result !== undefined && 'next' in result ? result.next : nextRound((current ?? {}) as object);
    if (next === undefined || continuationOf(next).hop > maxContinuationHops) {
      throw new Error(
        `${schedule.name}: stopped at the continuation limit (${maxContinuationHops} hops) without completing`,
      );
    }
    current = next;
  }
}
