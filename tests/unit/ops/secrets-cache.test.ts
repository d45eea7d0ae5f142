import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * Issue 10, point 4: no poisoned caches. A failed GetSecretValue (throttled, a cold network) is
 * not cached: the next call loads again and succeeds — for the deployment secret and for the
 * sign-up token alike. Each test imports a fresh copy of secrets.ts (its caches are per module).
 */
const secrets = mockClient(SecretsManagerClient);
const saved = { ...process.env };

const fresh = async () => {
  vi.resetModules();
  return import('../../../shared/platform/secrets.js');
};
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

beforeEach(() => {
  process.env = { ...saved };
  delete process.env.DEPLOYMENT_SECRET;
  delete process.env.SIGNUP_TOKEN;
  process.env.DEPLOYMENT_SECRET_ARN = 'arn:aws:secretsmanager:cn-north-1:123456789012:secret:deployment';
  process.env.SIGNUP_TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:cn-north-1:123456789012:secret:signup';
});

afterEach(() => {
  secrets.reset();
  process.env = { ...saved };
});

describe('secrets loaded once per process, unless loading fails', () => {
  it('the deployment secret: a failed GetSecretValue, then a success, gives a success', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(throttled())
      .resolves({ SecretString: JSON.stringify({ hashKey: 'k'.repeat(64) }) });
    const { deploymentSecret } = await fresh();
    await expect(deploymentSecret()).rejects.toThrow('Rate exceeded');
    const secret = await deploymentSecret();
    expect(secret.verify('data', secret.sign('data'))).toBe(true);
    // …and then it is cached: no third call.
    await deploymentSecret();
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('the sign-up token: a failed GetSecretValue, then a success, gives a success', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(throttled())
      .resolves({ SecretString: JSON.stringify({ signupToken: 'open-sesame' }) });
    const { requiredSignupToken } = await fresh();
    await expect(requiredSignupToken()).rejects.toThrow('Rate exceeded');
    await expect(requiredSignupToken()).resolves.toBe('open-sesame');
    await expect(requiredSignupToken()).resolves.toBe('open-sesame');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('callers waiting on the failing load all see that failure; the next caller loads again', async () => {
    let fail = true;
    secrets.on(GetSecretValueCommand).callsFake(async () => {
      await new Promise((r) => setTimeout(r, 20));
      if (fail) throw throttled();
      return { SecretString: JSON.stringify({ hashKey: 'h'.repeat(64) }) };
    });
    const { deploymentSecret } = await fresh();
    const waiting = await Promise.allSettled([deploymentSecret(), deploymentSecret(), deploymentSecret()]);
    expect(waiting.map((w) => w.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    fail = false;
    await expect(deploymentSecret()).resolves.toBeDefined();
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('a secret without its key is an error that is not cached either', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: '{}' })
      .resolves({ SecretString: JSON.stringify({ hashKey: 'x'.repeat(64) }) });
    const { deploymentSecret } = await fresh();
    await expect(deploymentSecret()).rejects.toThrow('deployment secret has no hashKey');
    await expect(deploymentSecret()).resolves.toBeDefined();
  });
});
