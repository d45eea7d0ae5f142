import { schedules } from '../../shared/app/index.js';
import { dynamoAnswers } from './dynamodb.js';
import { runScheduled } from './handlers.js';
import { scheduledEvent } from './scheduler.js';
import { localSettings, useLocalStack } from './settings.js';

/**
 * `npm run job -- <name> [json-input]`: run one scheduled handler once, now, against the
 * running local stack (same PORT / DYNAMODB_PORT / DATA_DIR settings as `npm start`). A resumable
 * job that reports `complete: false` (time budget spent) is invoked again until it completes.
 */
async function main(): Promise<number> {
  const [name, rawInput] = process.argv.slice(2);
  const schedule = schedules.find((s) => s.name === name);
  if (!schedule) {
    console.error(`usage: npm run job -- <${schedules.map((s) => s.name).join('|')}> ['{"json":"input"}']`);
    return 2;
  }
  const settings = localSettings();
  if (!(await dynamoAnswers(settings.dynamoEndpoint))) {
    console.error(`nothing answers on ${settings.dynamoEndpoint}: start the stack first (npm start)`);
    return 1;
  }
  useLocalStack(settings);
  const input = rawInput ? (JSON.parse(rawInput) as Record<string, unknown>) : {};
  // One event for the whole pass: continuations carry on the same run, as on AWS.
  const event = scheduledEvent({ ...schedule, input: { ...schedule.input, ...input } }, new Date());
  await runScheduled(schedule, event, (round, result) =>
    console.log(JSON.stringify({ job: schedule.name, round, result }, null, 2)),
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`job failed: ${error.message}`);
    process.exit(1);
  },
);
