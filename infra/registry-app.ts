import type { App } from 'aws-cdk-lib';
import { RegistryStack } from './registry-stack.js';

/**
 * The CDK app's one stack, from the context (`cdk synth|deploy -c name=value`):
 *   -c stage=<name>               deployment stage, default `dev` (only `dev` is destroyable)
 *   -c requireSignupToken=true    create the sign-up token secret; sign-up must then present it
 *   -c publicSignup=true          anyone may sign up, deliberately
 *   -c account=<id> -c region=<r> pin the stack to this environment (both, or neither)
 *   -c consoleDistDir=<path>      the web console's build to serve (default console/dist, which
 *                                 `npm run synth|deploy` build first with `npm run console:build`)
 * Outside `dev` exactly one of requireSignupToken/publicSignup must be given: synth fails otherwise.
 *
 * Without an explicit account and region the stack is environment-agnostic: the template names
 * its region and account only as AWS::Region / AWS::AccountId, so it deploys wherever the
 * deployer's credentials and region point — never to the CDK_DEFAULT_REGION of the machine
 * that happened to synthesize it.
 */
export function buildRegistryApp(app: App): RegistryStack {
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  const flag = (name: string) =>
    ['true', '1', 'yes'].includes(String(app.node.tryGetContext(name) ?? 'false').toLowerCase());
  const text = (name: string): string | undefined => {
    const value = app.node.tryGetContext(name);
    return value === undefined || value === '' ? undefined : String(value);
  };
  const account = text('account');
  const region = text('region');
  if ((account === undefined) !== (region === undefined)) {
    throw new Error('give both -c account=<id> and -c region=<region>, or neither (environment-agnostic)');
  }
  const consoleDistDir = text('consoleDistDir');
  return new RegistryStack(app, `TownshipRegistry-${stage}`, {
    stage,
    requireSignupToken: flag('requireSignupToken'),
    publicSignup: flag('publicSignup'),
    ...(consoleDistDir ? { console: { distDir: consoleDistDir } } : {}),
    description: `Township Registry (${stage}): HTTP API, web console, tables, statistics stream, scheduled jobs`,
    ...(account && region ? { env: { account, region } } : {}),
    tags: { app: 'township-registry', stage },
    // No AWS::CDK::Metadata resource: for an environment-agnostic stack it brings a condition
    // listing every region by name, the only literal regions the template would hold.
    analyticsReporting: false,
  });
}
