import { join } from 'node:path';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { authorizer, httpTimeoutSeconds } from '../../shared/app/index.js';
import { projectRoot } from '../project-root.js';

/** Lambda functions run ESM; this lets CommonJS dependencies that call `require` keep working. */
export const esmRequireBanner =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export interface RegistryFunctionProps {
  /** Entry file relative to the repository root, as written in the shared definitions. */
  entry: string;
  description: string;
  timeout: Duration;
  environment: Record<string, string>;
  /** Removal policy of the function's own log group. */
  logRemovalPolicy: RemovalPolicy;
  logRetention?: logs.RetentionDays;
  /** Dead-letter queue for asynchronous invocations (only functions that are invoked asynchronously). */
  deadLetterQueue?: sqs.IQueue;
  /**
   * `Allow` only for a function that continues itself by invoking itself (a resumable job): its
   * chain is bounded by the hop counter in its event, not by Lambda's loop detection.
   */
  recursiveLoop?: lambda.RecursiveLoop;
}

const shellQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * Run after esbuild (local bundling): the map's `sources` become paths relative to the repository
 * (`shared/…`, `node_modules/…`) — not relative to wherever the assembly was written, which would
 * name the build machine's directories and change the asset hash from one checkout to another.
 */
const repoRelativeSources = (mapFile: string): string => {
  const script = [
    'const fs = require("node:fs"), path = require("node:path");',
    'const [map, root] = process.argv.slice(1);',
    'const m = JSON.parse(fs.readFileSync(map, "utf8"));',
    'm.sources = m.sources.map((s) => path.relative(root, path.resolve(path.dirname(map), s)).split(path.sep).join("/"));',
    'fs.writeFileSync(map, JSON.stringify(m));',
  ].join(' ');
  return [process.execPath, '-e', script, mapFile, projectRoot].map(shellQuote).join(' ');
};

/**
 * The esbuild options of every function: ESM, minified, and a source map that holds only the
 * mappings and names — no embedded sources (`sourcesContent: false`) — which the runtime never
 * loads (no `--enable-source-maps`: parsing a multi-megabyte map at every cold start and on every
 * `error.stack` costs import time). A logged stack trace is mapped back afterwards, offline, with
 * the same bundle's map (`npx tsx infra/map-stack.ts`, see the README).
 */
export const bundlingOptions = {
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: 'node24',
  format: nodejs.OutputFormat.ESM,
  mainFields: ['module', 'main'],
  banner: esmRequireBanner,
} as const;

/**
 * One Lambda function as every function of this stack is built: NodejsFunction bundled by the local
 * esbuild (`bundlingOptions`), nodejs24.x on arm64, X-Ray active, its own log group with a
 * retention, and its own role that may write only to that log group (no AWS managed policy). Table,
 * secret and queue permissions are granted by the stack, per function.
 */
export class RegistryFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: RegistryFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.entry}`,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs:* on every log group): this function's log group only.
    this.logGroup.grantWrite(this.role);

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: join(projectRoot, props.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 1024,
      timeout: props.timeout,
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      deadLetterQueue: props.deadLetterQueue,
      recursiveLoop: props.recursiveLoop,
      environment: { ...props.environment },
      bundling: {
        forceDockerBundling: false,
        logLevel: nodejs.LogLevel.WARNING,
        ...bundlingOptions,
        mainFields: [...bundlingOptions.mainFields],
        // Ship the SDK versions the project pins (and tests against), not whatever the runtime has.
        bundleAwsSDK: true,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir, outputDir) => [repoRelativeSources(join(outputDir, 'index.mjs.map'))],
        },
      },
    });
  }
}

export const httpTimeout = Duration.seconds(httpTimeoutSeconds);
export const authorizerTimeout = Duration.seconds(authorizer.timeoutSeconds);
