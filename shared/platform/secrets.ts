import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { env, environment } from './config.js';

/**
 * The per-deployment secret: keys the ID-number hash (so a table dump cannot be reversed by
 * enumerating the ~10^10 plausible ID numbers), signs list cursors and seals idempotency
 * records. Loaded once per process.
 */
export interface DeploymentSecret {
  /** Keyed hash of a normalized identity number, per tenant: the same person hashes differently in two tenants. */
  idNumberHash(tenantId: string, idNumber: string): string;
  sign(data: string): string;
  verify(data: string, signature: string): boolean;
  /** Encrypt (AES-256-GCM) under a key derived from the deployment secret and `context`. */
  seal(context: string, plaintext: string): string;
  /** Decrypt what `seal` made with the same context; throws if anything differs. */
  open(context: string, sealed: string): string;
}

/**
 * A value loaded once per process and then shared — unless loading fails: a failure is not
 * cached, so one throttled call does not poison every later request of the instance.
 */
export function cachedLoad<T>(load: () => Promise<T>): { get(): Promise<T>; reset(): void } {
  let loading: Promise<T> | undefined;
  return {
    get() {
      if (!loading) {
        const attempt = load();
        loading = attempt;
        attempt.catch(() => {
          if (loading === attempt) loading = undefined;
        });
      }
      return loading;
    },
    reset() {
      loading = undefined;
    },
  };
}

async function secretJson(arn: string): Promise<Record<string, unknown>> {
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  return JSON.parse(out.SecretString ?? '{}') as Record<string, unknown>;
}

const deployment = cachedLoad(async () => {
  const e = environment();
  const local = e[env.deploymentSecret];
  if (local) return secretFrom(local);
  const arn = e[env.deploymentSecretArn];
  if (!arn) throw new Error(`${env.deploymentSecret} or ${env.deploymentSecretArn} must be set`);
  const { hashKey } = await secretJson(arn);
  if (typeof hashKey !== 'string' || hashKey === '') throw new Error('deployment secret has no hashKey');
  return secretFrom(hashKey);
});

export const deploymentSecret = (): Promise<DeploymentSecret> => deployment.get();

function secretFrom(secret: string): DeploymentSecret {
  const idKey = createHmac('sha256', secret).update('id-number-hash/v1').digest();
  const cursorKey = createHmac('sha256', secret).update('cursor-signing/v1').digest();
  const sign = (data: string) => createHmac('sha256', cursorKey).update(data).digest('base64url');
  const sealKey = createHmac('sha256', secret).update('sealing/v1').digest();
  const keyFor = (context: string) => createHmac('sha256', sealKey).update(context).digest();
  return {
    idNumberHash: (tenantId, idNumber) =>
      createHmac('sha256', idKey).update(`${tenantId}\n${idNumber}`).digest('base64url'),
    sign,
    seal: (context, plaintext) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyFor(context), iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open: (context, sealed) => {
      const raw = Buffer.from(sealed, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', keyFor(context), raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    verify: (data, signature) => constantTimeEqual(sign(data), signature),
  };
}

/** Sign-up token, if this deployment requires one (undefined = open sign-up). */
const signup = cachedLoad(async (): Promise<string | undefined> => {
  const e = environment();
  const local = e[env.signupToken];
  if (local) return local;
  const arn = e[env.signupTokenSecretArn];
  if (!arn) return undefined;
  const { signupToken } = await secretJson(arn);
  return typeof signupToken === 'string' ? signupToken : undefined;
});

export const requiredSignupToken = (): Promise<string | undefined> => signup.get();

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
