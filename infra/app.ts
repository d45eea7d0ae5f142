import { App } from 'aws-cdk-lib';
import { addNagPacks } from './constructs/nag.js';
import { buildRegistryApp } from './registry-app.js';

/**
 * CDK app (cdk.json runs it with tsx); the context it reads is described in registry-app.ts.
 * Synth needs no credentials.
 */
const app = new App();
buildRegistryApp(app);

// cdk-nag on every synth: any unacknowledged AwsSolutions or Serverless finding fails it.
addNagPacks(app);
