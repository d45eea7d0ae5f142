import { afterEach, describe, expect, it } from 'vitest';
import { closeStaleInEveryTenant } from '../../../shared/modules/people/jobs.js';
import { registryTableName } from '../../../shared/platform/table/client.js';
import { registryTable } from '../../../shared/platform/table/definition.js';

/**
 * Issue 10, point 8: on AWS a function without the registry table's name fails at first use with
 * a clear message, instead of falling back to the logical name (a table that does not exist, or
 * worse, another one). Locally (DynamoDB Local) the logical name is still the default.
 */
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

const onAws = () => {
  process.env.AWS_LAMBDA_FUNCTION_NAME = 'TownshipRegistry-prod-JobCloseStaleRegistrations';
  delete process.env.DYNAMODB_ENDPOINT;
  delete process.env[registryTable.environmentVariable];
};

describe('the registry table name', () => {
  it('on AWS, a missing variable throws at first use, naming the variable and the function', async () => {
    onAws();
    expect(() => registryTableName()).toThrow(
      /REGISTRY_TABLE is not set in TownshipRegistry-prod-JobCloseStaleRegistrations/,
    );
    await expect(closeStaleInEveryTenant({}, { getRemainingTimeInMillis: () => 900_000 })).rejects.toThrow(
      /REGISTRY_TABLE is not set/,
    );
  });

  it('on AWS with the variable, and locally without it, it is what it always was', () => {
    onAws();
    process.env[registryTable.environmentVariable] = 'TownshipRegistry-prod-RegistryTable-ABC';
    expect(registryTableName()).toBe('TownshipRegistry-prod-RegistryTable-ABC');
    delete process.env[registryTable.environmentVariable];
    process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:8000';
    expect(registryTableName()).toBe(registryTable.name);
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    delete process.env.DYNAMODB_ENDPOINT;
    expect(registryTableName()).toBe(registryTable.name);
  });
});
