import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { environment } from './config.js';
import { logger, metrics } from './observability.js';

/**
 * A resumable scheduled job that runs out of time continues in a new round: on AWS the function
 * invokes itself asynchronously (it may: the stack grants exactly that, and allows exactly these
 * functions a recursive loop); locally the scheduler and `npm run job` see `complete: false` and
 * call the handler again with the round's `next` event.
 *
 * A chain of rounds is explicit and bounded: every round's event carries `continuation.hop` (0 =
 * the scheduled run) and the job's checkpoint; past `maxContinuationHops` the chain stops with an
 * error log and the `ContinuationHopLimitReached` metric, which the stack alarms on. Lambda's own
 * recursive-loop detection (which would stop such a chain after about 16 invocations) is turned
 * off for these functions only, so this limit is the one that holds on both hosts.
 */
export const maxContinuationHops = 200;

/** Counted (1) when a chain is stopped at the limit; alarmed on by the stack. */
export const continuationMetric = 'ContinuationHopLimitReached';

export interface Continuation<C = unknown> {
  /** Rounds before this one: 0 for the scheduled (or manual) run. */
  hop: number;
  /** The job's own checkpoint, as it left it at the end of the previous round. */
  checkpoint?: C;
}

export type ContinuedEvent<E, C = unknown> = E & { continuation: Continuation<C> };

/** Where an event stands in its chain (a fresh event is hop 0 with no checkpoint). */
export function continuationOf<C = unknown>(event: unknown): Continuation<C> {
  const found = (event as { continuation?: Partial<Continuation<C>> } | null | undefined)?.continuation;
  const hop = found?.hop;
  if (typeof hop !== 'number' || !Number.isInteger(hop) || hop < 0) return { hop: 0 };
  return found?.checkpoint === undefined ? { hop } : { hop, checkpoint: found.checkpoint };
}

/**
 * The event of the next round: the same event (the same pass: `time`, `detail`), one hop further,
 * with `checkpoint`. Undefined when that hop would pass the limit — the chain stops here, with an
 * error log and the metric (one per stopped chain).
 */
export function nextRound<E extends object, C = unknown>(
  event: E | null | undefined,
  checkpoint?: C,
): ContinuedEvent<E, C> | undefined {
  const hop = continuationOf(event).hop + 1;
  if (hop > maxContinuationHops) {
    logger.error('continuation stopped at the hop limit: the job did not finish', {
      hop: hop - 1,
      maxContinuationHops,
    });
    metrics.addMetric(continuationMetric, 'Count', 1);
    return undefined;
  }
  const base = { ...(event ?? {}) } as E & { continuation?: unknown };
  delete base.continuation;
  return {
    ...base,
    continuation: checkpoint === undefined ? { hop } : { hop, checkpoint },
  } as ContinuedEvent<E, C>;
}

/**
 * Start the next round with exactly `next` (built by `nextRound`). On AWS the function invokes
 * itself asynchronously and this returns true; locally it returns false (the runner loops).
 * An event past the limit is never sent.
 */
export async function continueLater(next: unknown): Promise<boolean> {
  const { AWS_LAMBDA_FUNCTION_NAME: functionName, DYNAMODB_ENDPOINT: local } = environment();
  if (!functionName || local) return false;
  if (continuationOf(next).hop > maxContinuationHops) return false;
  await new LambdaClient({}).send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: Buffer.from(JSON.stringify(next)),
    }),
  );
  return true;
}
