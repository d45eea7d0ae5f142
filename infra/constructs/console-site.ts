import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DefaultStackSynthesizer, Duration, type RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { consoleSecurityHeaders } from '../../console/serve.js';
import { acknowledge } from './nag.js';

/**
 * The viewer-request function of the console's default behaviour (runtime cloudfront-js-2.0), as
 * source text: the one place its code is written (a unit test evaluates this very string). A path
 * whose last segment has no dot is one of the console's routes (`/`, `/people/p_123`): it is
 * answered with /index.html, as `serveConsole` does locally. Files (`/assets/index-x.js`,
 * `/favicon.svg`) pass unchanged, and so does anything under /v1 (never routed here: the /v1/*
 * behaviour comes first; `/v1` alone stays what it is, not a console page).
 *
 * Not distribution-wide `errorResponses`: those would replace every 403/404 of every origin —
 * the API's problem+json answers included — with index.html.
 */
export const spaRewriteFunctionCode = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/v1' || uri.indexOf('/v1/') === 0) return request;
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}
`;

/** Hashed build files never change under their name. */
export const immutableCacheControl = 'public, max-age=31536000, immutable';
/** index.html and the other root files: revalidated on every load, so a new build shows at once. */
export const revalidateCacheControl = 'no-cache';

/** HSTS on every answer of the distribution: two years, subdomains included. */
export const hstsMaxAge = Duration.days(730);

/** The path pattern CloudFront sends to the HTTP API. */
export const apiPathPattern = '/v1/*';

export interface ConsoleSiteProps {
  /** The HTTP API the console calls (same origin, under /v1). */
  api: apigw.IHttpApi;
  /** Its stage: `$default` is served at the root, a named stage under `/<name>`. */
  apiStage: apigw.IHttpStage;
  /** The console build: index.html, assets/… (`npm run console:build`). */
  distDir: string;
  /** `dev`: the buckets go with the stack (emptied first); every other stage keeps them. */
  isDev: boolean;
  removalPolicy: RemovalPolicy;
  stage: string;
}

const reason = {
  geo: 'The console and the API serve township staff wherever they are (field work, travel); there is no country list to restrict to. Access is controlled by API keys, the authorizer and the API’s throttles, not by geography.',
  waf: 'Optional here: the console is static files, and /v1 reaches the same HTTP API that stays reachable directly, with its own Lambda authorizer, stage and route throttles and access log either way. A WebACL for CloudFront must be created in us-east-1, while this stack is region-agnostic (it deploys to the deployer’s region); attach one (webAclId) from a us-east-1 stack when a stage needs it.',
  tls: 'Without a custom domain the distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the viewer security policy at TLSv1 (minimumProtocolVersion applies only with an own certificate). Browsers negotiate TLS 1.2/1.3 anyway. With a custom domain, give an ACM certificate (us-east-1) and minimumProtocolVersion TLS_V1_2_2021, and this finding goes away.',
  deployStar:
    'Statements CDK’s BucketDeployment adds to its handler’s role: read the staged console asset (s3:GetObject*/List* on the CDK asset bucket’s objects), write the console bucket (its objects: <bucket>/*), and cloudfront:CreateInvalidation/GetInvalidation, which CDK grants on "*". The handler runs only during a deployment and invalidates only the distribution it is given.',
  deployDlq:
    'Invoked synchronously by CloudFormation as a custom resource; a failure fails (and rolls back) the deployment, so there is nothing to dead-letter.',
  deployTracing:
    'CDK’s BucketDeployment offers no tracing setting for its singleton handler; it runs only during deployments, and its log group (one month) records every run.',
  deployRuntime:
    'The runtime of CDK’s BucketDeployment handler is chosen by aws-cdk-lib (it bundles the AWS CLI layer for that runtime) and moves with CDK upgrades; it cannot be set from here.',
};

/**
 * The web console on AWS: the build in a private S3 bucket behind CloudFront (Origin Access
 * Control), the HTTP API as the same distribution's /v1/* origin, the console's security headers
 * from `consoleSecurityHeaders` (console/serve.ts: the one definition both hosts send), a
 * CloudFront Function for the console's routes, and access logs into a bucket of their own.
 */
export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly logsBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly spaRewrite: cloudfront.Function;
  readonly consoleHeaders: cloudfront.ResponseHeadersPolicy;
  readonly apiHeaders: cloudfront.ResponseHeadersPolicy;
  readonly deployments: readonly s3deploy.BucketDeployment[];
  /** CDK's singleton BucketDeployment handler (a Lambda at stack level, run only by deployments). */
  readonly deploymentHandler: lambda.Function;
  /** Its role: ours, without AWS managed policies (logs: its own log group only). */
  readonly deploymentRole: iam.Role;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const distDir = resolve(props.distDir);
    assertConsoleBuilt(distDir);
    // S3 server access logs are delivered under a bucket policy (logging.s3.amazonaws.com, only
    // from this console bucket and account) instead of the legacy LogDeliveryWrite ACL — AWS's
    // recommendation; set for this construct only (the app's cdk.json is not this file's to change).
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const stack = Stack.of(this);
    const bucketBasics = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
      // A destroyed dev stack takes its buckets along, which CloudFormation can only do when they
      // are empty; every other stage RETAINs them (and their contents).
      autoDeleteObjects: props.isDev,
    };

    // CloudFront standard logging writes with object ACLs (the awslogsdelivery account), so this
    // bucket keeps ACLs enabled, owned by the bucket owner (BUCKET_OWNER_PREFERRED, never public:
    // BLOCK_ALL still refuses public ACLs).
    this.logsBucket = new s3.Bucket(this, 'LogsBucket', {
      ...bucketBasics,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(90) }],
    });
    // (No server access logs of its own: cdk-nag accepts a bucket that is itself a log target.)

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...bucketBasics,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'console-bucket/',
      // Overwritten index.html versions stay restorable for a while, then go.
      lifecycleRules: [{ id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(90) }],
    });

    this.spaRewrite = new cloudfront.Function(this, 'SpaRewrite', {
      comment: 'Console routes (extension-less paths) -> /index.html',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(spaRewriteFunctionCode),
    });

    this.consoleHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ConsoleHeaders', {
      comment: `Township Registry ${props.stage}: the console's security headers (console/serve.ts)`,
      ...consoleHeadersPolicy(consoleSecurityHeaders),
    });
    // JSON and problem+json only: with nosniff a browser never renders an API answer as a page or
    // runs it as a script, so a CSP there would govern nothing; framing is refused all the same.
    this.apiHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ApiHeaders', {
      comment: `Township Registry ${props.stage}: HSTS, nosniff, no framing for /v1`,
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: hstsMaxAge, includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    // The API's own endpoint. `$default` is served at the stage's root; a named stage under /<name>.
    const stageName = props.apiStage.stageName;
    const apiOrigin = new origins.HttpOrigin(
      `${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`,
      {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        ...(stageName === '$default' ? {} : { originPath: `/${stageName}` }),
      },
    );

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Township Registry ${props.stage}: web console and /v1 API`,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.consoleHeaders,
        functionAssociations: [
          { function: this.spaRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: {
        [apiPathPattern]: {
          origin: apiOrigin,
          // Never a redirect: a redirected POST would lose its body.
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // Everything the viewer sent but Host (Authorization, If-Match, Idempotency-Key, query).
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.apiHeaders,
        },
      },
    });
    acknowledge(this.distribution, {
      'AwsSolutions-CFR1': reason.geo,
      'AwsSolutions-CFR2': reason.waf,
      'AwsSolutions-CFR4': reason.tls,
    });

    // The files: hashed assets first (immutable, a year), then index.html and the other root
    // files (no-cache) and an invalidation of /index.html. No pruning: a browser that loaded the
    // previous index.html still finds its assets (and the bucket is versioned).
    const deploymentLogs = new logs.LogGroup(this, 'DeploymentLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy,
    });
    // The handler's role is ours (as every role of the stack): its log group only, no managed
    // policy; CDK adds the asset read, the bucket write and the invalidation to it.
    this.deploymentRole = new iam.Role(this, 'DeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Township Registry ${props.stage}: copies the console build into its bucket at deploy time`,
    });
    deploymentLogs.grantWrite(this.deploymentRole);
    const shared = {
      destinationBucket: this.bucket,
      role: this.deploymentRole,
      prune: false,
      memoryLimit: 512,
      logGroup: deploymentLogs,
      // The object keys would travel in the custom resource's answer (4 KB at most); nothing reads them.
      outputObjectKeys: false,
    };
    const deployments: s3deploy.BucketDeployment[] = [];
    const assetsDir = join(distDir, 'assets');
    const assets = existsSync(assetsDir)
      ? new s3deploy.BucketDeployment(this, 'DeployAssets', {
          ...shared,
          sources: [s3deploy.Source.asset(assetsDir)],
          destinationKeyPrefix: 'assets/',
          cacheControl: [s3deploy.CacheControl.fromString(immutableCacheControl)],
        })
      : undefined;
    if (assets) deployments.push(assets);
    const root = new s3deploy.BucketDeployment(this, 'DeployRoot', {
      ...shared,
      // Not the assets (above), and no dot-files (.vite/manifest.json), which the local host refuses too.
      sources: [s3deploy.Source.asset(distDir, { exclude: ['assets', 'assets/**', '.*', '**/.*'] })],
      cacheControl: [s3deploy.CacheControl.fromString(revalidateCacheControl)],
      distribution: this.distribution,
      distributionPaths: ['/index.html'],
    });
    if (assets) root.node.addDependency(assets);
    deployments.push(root);
    this.deployments = deployments;

    // The handler both deployments share is CDK's singleton Lambda, created at stack level (not
    // under this construct); its exact findings are acknowledged on it, those of the statements CDK
    // adds on our role there, each wildcard resource by its exact ARN.
    const singleton = root.node.findAll().find((c) => c instanceof lambda.SingletonFunction);
    const handler = singleton && stack.node.tryFindChild(singleton.constructName);
    if (!(handler instanceof lambda.Function) || handler.role !== this.deploymentRole) {
      throw new Error('BucketDeployment: its singleton handler was not found, or runs with another role');
    }
    this.deploymentHandler = handler;
    acknowledge(handler, {
      'AwsSolutions-L1': reason.deployRuntime,
      'Serverless-LambdaLatestVersion': reason.deployRuntime,
      'Serverless-LambdaDLQ': reason.deployDlq,
      'Serverless-LambdaTracing': reason.deployTracing,
    });
    const qualifier = stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const assetObjects = `arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-${account}-${region}/*`;
    const bucketObjects = `<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`;
    acknowledge(this.deploymentRole, {
      'AwsSolutions-IAM5[Action::s3:GetObject*]': reason.deployStar,
      'AwsSolutions-IAM5[Action::s3:GetBucket*]': reason.deployStar,
      'AwsSolutions-IAM5[Action::s3:List*]': reason.deployStar,
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]': reason.deployStar,
      'AwsSolutions-IAM5[Action::s3:Abort*]': reason.deployStar,
      [`AwsSolutions-IAM5[Resource::${assetObjects}]`]: reason.deployStar,
      [`AwsSolutions-IAM5[Resource::${bucketObjects}]`]: reason.deployStar,
      'AwsSolutions-IAM5[Resource::*]': reason.deployStar,
    });
  }
}

/** Synthesis needs the console build: without index.html there is nothing to serve. */
export function assertConsoleBuilt(distDir: string): void {
  const index = join(distDir, 'index.html');
  if (!existsSync(index) || !statSync(index).isFile()) {
    throw new Error(
      `the web console is not built: ${index} is missing — run \`npm run console:build\` first ` +
        '(npm run synth and npm run deploy do that themselves)',
    );
  }
}

/**
 * A response-headers policy sending `headers` (consoleSecurityHeaders): the ones CloudFront
 * models as security headers go there (an unsupported value is refused, never dropped), the rest
 * as custom headers; HSTS is added (HTTPS only exists on AWS). Every header overrides the origin's.
 */
export function consoleHeadersPolicy(
  headers: Readonly<Record<string, string>>,
): Pick<cloudfront.ResponseHeadersPolicyProps, 'securityHeadersBehavior' | 'customHeadersBehavior'> {
  const custom: cloudfront.ResponseCustomHeader[] = [];
  const refuse = (name: string, value: string): never => {
    throw new Error(`consoleSecurityHeaders: CloudFront cannot send ${name}: ${value}`);
  };
  let result: cloudfront.ResponseSecurityHeadersBehavior = {
    strictTransportSecurity: { accessControlMaxAge: hstsMaxAge, includeSubdomains: true, override: true },
  };
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (name === 'content-security-policy') {
      result = { ...result, contentSecurityPolicy: { contentSecurityPolicy: value, override: true } };
    } else if (name === 'x-content-type-options') {
      if (value !== 'nosniff') refuse(name, value);
      result = { ...result, contentTypeOptions: { override: true } };
    } else if (name === 'x-frame-options') {
      const frameOption = Object.values(cloudfront.HeadersFrameOption).find((o) => o === value.toUpperCase());
      if (!frameOption) refuse(name, value);
      result = { ...result, frameOptions: { frameOption: frameOption!, override: true } };
    } else if (name === 'referrer-policy') {
      const policy = Object.values(cloudfront.HeadersReferrerPolicy).find((p) => p === value);
      if (!policy) refuse(name, value);
      result = { ...result, referrerPolicy: { referrerPolicy: policy!, override: true } };
    } else if (name === 'strict-transport-security' || name === 'x-xss-protection') {
      refuse(name, value); // CloudFront models these itself (HSTS is set above)
    } else {
      custom.push({ header: name, value, override: true });
    }
  }
  return {
    securityHeadersBehavior: result,
    ...(custom.length > 0 ? { customHeadersBehavior: { customHeaders: custom } } : {}),
  };
}
