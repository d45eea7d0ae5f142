import { App } from 'aws-cdk-lib';
import { addNagPacks } from './constructs/nag.js';
import { RegistryStack } from './registry-stack.js';

/**
 * CDK app (cdk.json runs it with tsx). Context:
 *   -c stage=<name>               deployment stage, default `dev` (only `dev` is destroyable)
 *   -c requireSignupToken=true    create the sign-up token secret; sign-up must then present it
 * Synth needs no credentials: without a profile the stack is environment-agnostic.
 */
const app = new App();

const stage = String(app.node.tryGetContext('stage') ?? 'dev');
const requireSignupToken = ['true', '1', 'yes'].includes(
  String(app.node.tryGetContext('requireSignupToken') ?? 'false').toLowerCase(),
);

new RegistryStack(app, `TownshipRegistry-${stage}`, {
  stage,
  requireSignupToken,
  description: `Township Registry (${stage}): HTTP API, tables, statistics stream, scheduled jobs`,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  tags: { app: 'township-registry', stage },
});

// cdk-nag on every synth: any unacknowledged AwsSolutions or Serverless finding fails it.
addNagPacks(app);
