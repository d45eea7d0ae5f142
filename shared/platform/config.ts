import { z } from 'zod';

/**
 * THE environment of every function, named and parsed once. The AWS stack sets these variables
 * (from `env` below), the local host sets the local equivalents; nothing else reads
 * `process.env` for them or invents a variable name.
 */
export const env = {
  registryTable: 'REGISTRY_TABLE',
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  /** AWS: Secrets Manager secret (JSON `{ "hashKey": "..." }`) used for keyed hashes and cursor signing. */
  deploymentSecretArn: 'DEPLOYMENT_SECRET_ARN',
  /** Local: the secret itself (the local host generates and keeps one under DATA_DIR). */
  deploymentSecret: 'DEPLOYMENT_SECRET',
  /** AWS: optional Secrets Manager secret (JSON `{ "signupToken": "..." }`); when set, sign-up must present it. */
  signupTokenSecretArn: 'SIGNUP_TOKEN_SECRET_ARN',
  /** Local: the sign-up token itself. */
  signupToken: 'SIGNUP_TOKEN',
  stage: 'STAGE',
  /** Local only: where DynamoDB Local answers. */
  dynamoEndpoint: 'DYNAMODB_ENDPOINT',
  /** Set by the Lambda runtime: the running function's own name (self-continuation). */
  functionName: 'AWS_LAMBDA_FUNCTION_NAME',
  region: 'AWS_REGION',
  /** AWS: the role a function assumes, tagged with the tenant, to reach the tenant's items. */
  tenantAccessRoleArn: 'TENANT_ACCESS_ROLE_ARN',
} as const;

const optional = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const schema = z.object({
  [env.registryTable]: optional,
  [env.idempotencyTable]: optional,
  [env.deploymentSecretArn]: optional,
  [env.deploymentSecret]: optional,
  [env.signupTokenSecretArn]: optional,
  [env.signupToken]: optional,
  [env.stage]: optional,
  [env.dynamoEndpoint]: optional,
  [env.functionName]: optional,
  [env.region]: optional,
  [env.tenantAccessRoleArn]: optional,
});

export type Environment = z.output<typeof schema>;

/**
 * The parsed environment. Read on every call (tests and the local host set variables after
 * import), parsed by one schema: the single place that touches `process.env` for these names.
 */
export function environment(): Environment {
  return schema.parse(process.env);
}

export const serviceName = 'township-registry';
export const metricsNamespace = 'TownshipRegistry';

/** Metric names that alarms are built on (the stack and the code must agree). */
export const metricNames = {
  counterDrift: 'CounterDrift',
  staleRegistrationsClosed: 'StaleRegistrationsClosed',
  counterBatchesApplied: 'CounterBatchesApplied',
} as const;
