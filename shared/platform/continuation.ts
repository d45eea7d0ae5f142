import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { environment } from './config.js';

/**
 * A resumable scheduled job that ran out of time asks to be run again. On AWS the function
 * invokes itself asynchronously with the same event (it may: the stack grants exactly that);
 * locally the scheduler and `npm run job` see `complete: false` and call the handler again.
 * Returns whether a continuation was started here.
 */
export async function continueLater(event: unknown): Promise<boolean> {
  const { AWS_LAMBDA_FUNCTION_NAME: functionName, DYNAMODB_ENDPOINT: local } = environment();
  if (!functionName || local) return false;
  await new LambdaClient({}).send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: Buffer.from(JSON.stringify(event)),
    }),
  );
  return true;
}
