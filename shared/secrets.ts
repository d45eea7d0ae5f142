import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { env } from './config.js';

/**
 * The per-deployment secret: keys the ID-number hash (so a table dump cannot be reversed by
 * enumerating the ~10^10 plausible ID numbers) and signs list cursors. Loaded once per process.
 */
export interface DeploymentKeys {
  /** Keyed hash of a normalized ID number, per tenant: the same person hashes differently in two tenants. */
  idNumberHash(tenantId: string, idNumber: string): string;
  sign(data: string): string;
  verify(data: string, signature: string): boolean;
  /** Encrypt (AES-256-GCM) under a key derived from the deployment secret and `context`. */
  seal(context: string, plaintext: string): string;
  /** Decrypt what `seal` made with the same context; throws if anything differs. */
  open(context: string, sealed: string): string;
}

let loading: Promise<DeploymentKeys> | undefined;

export function deploymentKeys(): Promise<DeploymentKeys> {
  loading ??= loadSecret().then(keysFrom);
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

async function loadSecret(): Promise<string> {
  const local = process.env[env.deploymentSecret];
  if (local) return local;
  const arn = process.env[env.deploymentSecretArn];
  if (!arn) throw new Error(`${env.deploymentSecret} or ${env.deploymentSecretArn} must be set`);
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  const parsed = JSON.parse(out.SecretString ?? '{}') as { hashKey?: string };
  if (!parsed.hashKey) throw new Error('deployment secret has no hashKey');
  return parsed.hashKey;
}

function keysFrom(secret: string): DeploymentKeys {
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
    verify: (data, signature) => {
      const expected = Buffer.from(sign(data));
      const given = Buffer.from(signature);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}

/** Sign-up token, if this deployment requires one (undefined = open sign-up). */
let signupToken: Promise<string | undefined> | undefined;
export function requiredSignupToken(): Promise<string | undefined> {
  signupToken ??= (async () => {
    const local = process.env[env.signupToken];
    if (local) return local;
    const arn = process.env[env.signupTokenSecretArn];
    if (!arn) return undefined;
    const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
    return (JSON.parse(out.SecretString ?? '{}') as { signupToken?: string }).signupToken;
  })();
  return signupToken;
}

/** API keys: long random secrets; only their SHA-256 is stored. */
export function newApiKeySecret(): string {
  return `trk_${randomBytes(32).toString('base64url')}`;
}

export function apiKeyHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
