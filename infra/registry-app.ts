import type { App } from 'aws-cdk-lib';
import { RegistryStack } from './registry-stack.js';

/**
 * The CDK app's one stack, from the context (`cdk synth|deploy -c name=value`):
 *   -c stage=<name>               deployment stage, default `dev` (only `dev` is destroyable)
 *   -c requireSignupToken=true    create the sign-up token secret; sign-up must then present it
 *   -c publicSignup=true          anyone may sign up, deliberately
 * Outside `dev` exactly one of the last two must be given: synth fails otherwise.
 */
export function buildRegistryApp(app: App): RegistryStack {
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  const flag = (name: string) =>
    ['true', '1', 'yes'].includes(String(app.node.tryGetContext(name) ?? 'false').toLowerCase());
  return new RegistryStack(app, `TownshipRegistry-${stage}`, {
    stage,
    requireSignupToken: flag('requireSignupToken'),
    publicSignup: flag('publicSignup'),
    description: `Township Registry (${stage}): HTTP API, tables, statistics stream, scheduled jobs`,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    tags: { app: 'township-registry', stage },
  });
}
