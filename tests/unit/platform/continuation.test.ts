import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { continueLater } from '../../../shared/platform/continuation.js';

const lambda = mockClient(LambdaClient);
const saved = { ...process.env };

afterEach(() => {
  lambda.reset();
  process.env = { ...saved };
});

describe('continueLater', () => {
  it('on AWS, invokes the same function asynchronously with the same event', async () => {
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'TownshipRegistry-prod-JobReconcileCounters';
    delete process.env.DYNAMODB_ENDPOINT;
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const event = { 'detail-type': 'Scheduled Event', detail: { settleMs: 5000 } };
    expect(await continueLater(event)).toBe(true);
    const calls = lambda.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({
      FunctionName: 'TownshipRegistry-prod-JobReconcileCounters',
      InvocationType: 'Event',
    });
    expect(JSON.parse(Buffer.from(calls[0]?.args[0].input.Payload as Uint8Array).toString())).toEqual(event);
  });

  it('locally, leaves the loop to the scheduler and the job runner', async () => {
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'reconcile-counters';
    process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:8000';
    expect(await continueLater({})).toBe(false);
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    delete process.env.DYNAMODB_ENDPOINT;
    expect(await continueLater({})).toBe(false);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });
});
