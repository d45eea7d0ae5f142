import { dynamoClient } from '../../../shared/platform/table/client.js';

/**
 * Counts the DynamoDB requests made through the process's shared client (every repository, the
 * idempotency store and the authorizer use it): a middleware at the start of the SDK's stack
 * sees each command once.
 */
export interface RequestCounter {
  /** Commands seen since the last reset, in order. */
  commands: string[];
  reset(): void;
}

let counter: RequestCounter | undefined;

export function countDynamoRequests(): RequestCounter {
  if (counter) return counter;
  const seen: string[] = [];
  dynamoClient().middlewareStack.add(
    (next, context) => async (args) => {
      seen.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'requestBudgetCounter' },
  );
  counter = {
    commands: seen,
    reset: () => {
      seen.length = 0;
    },
  };
  return counter;
}

/** A route over its budget, as a readable violation (undefined: within budget). */
export function overBudget(route: string, budget: number, commands: readonly string[]): string | undefined {
  return commands.length > budget
    ? `${route}: ${commands.length} DynamoDB requests (${commands.join(', ')}), budget ${budget}`
    : undefined;
}
