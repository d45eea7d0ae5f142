import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSecurityHeaders } from '../../console/serve.js';
import {
  ConsoleSite,
  consoleHeadersPolicy,
  immutableCacheControl,
  revalidateCacheControl,
  spaRewriteFunctionCode,
} from '../../infra/constructs/console-site.js';
import { buildRegistryApp } from '../../infra/registry-app.js';
import { RegistryStack } from '../../infra/registry-stack.js';
import { consoleFixtureDir, type Json, logicalId, synthesize } from './support/stack.js';

/**
 * Issue 11 on AWS: the web console behind CloudFront with the API under /v1 of the same origin.
 * Every check is a function over the template JSON, run on the stack's template and, as a
 * negative control, on a copy with exactly the mistake it exists to catch.
 */

const managed = {
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  allViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
  /** Forwards Host too: API Gateway would then not know the request (a wrong choice for /v1). */
  allViewer: '216adef6-5c7f-47e4-b989-5492eafa07d3',
};

type TemplateJson = {
  Resources: Record<string, { Type: string; Properties: Json; [k: string]: unknown }>;
} & Json;
interface Behaviour {
  PathPattern?: string;
  TargetOriginId: string;
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  ResponseHeadersPolicyId: { Ref: string };
  AllowedMethods: string[];
  ViewerProtocolPolicy: string;
  FunctionAssociations?: { EventType: string; FunctionARN: { 'Fn::GetAtt': [string, string] } }[];
}
interface Origin {
  Id: string;
  DomainName: unknown;
  OriginPath?: string;
  CustomOriginConfig?: { OriginProtocolPolicy: string; OriginSSLProtocols: string[] };
  OriginAccessControlId?: unknown;
}
interface DistributionConfig {
  DefaultCacheBehavior: Behaviour;
  CacheBehaviors?: Behaviour[];
  Origins: Origin[];
  CustomErrorResponses?: unknown[];
  Logging?: { Bucket: unknown; Prefix?: string };
}
interface Statement {
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: Json;
}

let prod: RegistryStack;
let t: TemplateJson;
let devTemplate: TemplateJson;
let dev: RegistryStack;

beforeAll(() => {
  const synthesized = synthesize();
  prod = synthesized.prod;
  dev = synthesized.dev;
  t = synthesized.template.toJSON() as TemplateJson;
  devTemplate = synthesized.devTemplate.toJSON() as TemplateJson;
});

const copy = (template: TemplateJson): TemplateJson => structuredClone(template);
const ofType = (template: TemplateJson, type: string) =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);
const distributionConfig = (template: TemplateJson): DistributionConfig => {
  const distributions = ofType(template, 'AWS::CloudFront::Distribution');
  expect(distributions).toHaveLength(1);
  return distributions[0]![1].Properties.DistributionConfig as DistributionConfig;
};
const apiBehaviourOf = (template: TemplateJson): Behaviour => {
  const behaviours = (distributionConfig(template).CacheBehaviors ?? []).filter(
    (b) => b.PathPattern === '/v1/*',
  );
  expect(behaviours).toHaveLength(1);
  return behaviours[0]!;
};
const headersPolicy = (template: TemplateJson, behaviour: Behaviour) =>
  template.Resources[behaviour.ResponseHeadersPolicyId.Ref]!.Properties.ResponseHeadersPolicyConfig as {
    SecurityHeadersConfig: Json & {
      ContentSecurityPolicy?: { ContentSecurityPolicy: string; Override: boolean };
      StrictTransportSecurity?: {
        AccessControlMaxAgeSec: number;
        IncludeSubdomains: boolean;
        Override: boolean;
      };
      FrameOptions?: { FrameOption: string; Override: boolean };
      ContentTypeOptions?: { Override: boolean };
      ReferrerPolicy?: { ReferrerPolicy: string; Override: boolean };
    };
    CustomHeadersConfig?: { Items: { Header: string; Value: string; Override: boolean }[] };
  };
const bucketId = (stack: RegistryStack) => logicalId(stack.consoleSite.bucket);
const bucketPolicyStatements = (template: TemplateJson, bucket: string): Statement[] => {
  const policies = ofType(template, 'AWS::S3::BucketPolicy').filter(
    ([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucket }),
  );
  expect(policies).toHaveLength(1);
  return (policies[0]![1].Properties.PolicyDocument as { Statement: Statement[] }).Statement;
};

// ---- the checks ------------------------------------------------------------------------------------

/** Private, S3-encrypted, versioned, owner-enforced, and TLS-only by its policy. */
function assertPrivateBucket(template: TemplateJson, bucket: string): void {
  const props = template.Resources[bucket]!.Properties;
  expect(props.PublicAccessBlockConfiguration).toEqual({
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  });
  expect(props.BucketEncryption).toEqual({
    ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
  });
  expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  const denies = bucketPolicyStatements(template, bucket).filter((s) => s.Effect === 'Deny');
  expect(denies).toContainEqual(
    expect.objectContaining({
      Action: 's3:*',
      Principal: { AWS: '*' },
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Resource: [
        { 'Fn::GetAtt': [bucket, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] },
      ],
    }),
  );
}

/** Exactly one Allow: the CloudFront service reading objects, for this distribution only (OAC). */
function assertOnlyThisDistributionReads(template: TemplateJson, bucket: string, distribution: string): void {
  const allows = bucketPolicyStatements(template, bucket).filter((s) => s.Effect === 'Allow');
  expect(allows).toEqual([
    {
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] },
      Condition: {
        StringEquals: {
          'AWS:SourceArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':cloudfront::',
                { Ref: 'AWS::AccountId' },
                ':distribution/',
                { Ref: distribution },
              ],
            ],
          },
        },
      },
    },
  ]);
}

/** /v1/* goes uncached, with everything but Host, every method, HTTPS only, to the API's own endpoint. */
function assertApiBehaviour(template: TemplateJson, apiId: string): void {
  const behaviour = apiBehaviourOf(template);
  expect(behaviour.CachePolicyId).toBe(managed.cachingDisabled);
  expect(behaviour.OriginRequestPolicyId).toBe(managed.allViewerExceptHostHeader);
  expect([...behaviour.AllowedMethods].sort()).toEqual(
    ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'].sort(),
  );
  expect(behaviour.ViewerProtocolPolicy).toBe('https-only');
  expect(behaviour.FunctionAssociations).toBeUndefined();
  const origin = distributionConfig(template).Origins.find((o) => o.Id === behaviour.TargetOriginId);
  expect(origin?.DomainName).toEqual({
    'Fn::Join': [
      '',
      [{ Ref: apiId }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }],
    ],
  });
  // The stack's stage is `$default`: /v1/... reaches the API's /v1/... routes as it is.
  expect(origin?.OriginPath).toBeUndefined();
  expect(origin?.CustomOriginConfig).toEqual({
    OriginProtocolPolicy: 'https-only',
    OriginSSLProtocols: ['TLSv1.2'],
  });
}

/** The console's headers are consoleSecurityHeaders, plus HSTS; the CSP allows no inline script. */
function assertConsoleHeaders(template: TemplateJson): void {
  const config = headersPolicy(template, distributionConfig(template).DefaultCacheBehavior);
  const security = config.SecurityHeadersConfig;
  const csp = security.ContentSecurityPolicy?.ContentSecurityPolicy ?? '';
  expect(csp).toBe(consoleSecurityHeaders['content-security-policy']);
  assertNoInlineScript(csp);
  expect(security.ContentSecurityPolicy?.Override).toBe(true);
  expect(security.StrictTransportSecurity, 'HSTS').toBeDefined();
  expect(security.StrictTransportSecurity?.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
  expect(security.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Override: true });
  expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
  expect(security.ContentTypeOptions).toEqual({ Override: true });
  expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
  expect(config.CustomHeadersConfig?.Items).toEqual([
    { Header: 'permissions-policy', Value: consoleSecurityHeaders['permissions-policy'], Override: true },
    {
      Header: 'cross-origin-opener-policy',
      Value: consoleSecurityHeaders['cross-origin-opener-policy'],
      Override: true,
    },
  ]);
}

/** The CSP names script-src, and it allows no inline script, no eval and no wildcard. */
function assertNoInlineScript(csp: string): void {
  const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
  expect(scriptSrc, csp).toMatch(/script-src/);
  expect(scriptSrc, csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*/);
}

/** No distribution-wide error pages: they would turn the API's problem+json 403/404 into index.html. */
function assertNoErrorResponses(template: TemplateJson): void {
  expect(distributionConfig(template).CustomErrorResponses).toBeUndefined();
}

type Handler = (event: { request: { uri: string; method: string } }) => { uri: string };
const handlerOf = (code: string): Handler => new Function(`${code}\nreturn handler;`)() as Handler;
const rewrite = (handler: Handler, uri: string) => handler({ request: { uri, method: 'GET' } }).uri;

/** Console routes become /index.html; files and /v1 pass unchanged. */
function assertSpaRewrite(code: string): void {
  const handler = handlerOf(code);
  expect(rewrite(handler, '/people/p_1')).toBe('/index.html');
  expect(rewrite(handler, '/')).toBe('/index.html');
  expect(rewrite(handler, '/verification/')).toBe('/index.html');
  expect(rewrite(handler, '/assets/index-x.js')).toBe('/assets/index-x.js');
  expect(rewrite(handler, '/favicon.svg')).toBe('/favicon.svg');
  expect(rewrite(handler, '/v1/people')).toBe('/v1/people');
  expect(rewrite(handler, '/v1')).toBe('/v1');
}

/** A negative control: the check must fail as a check (an assertion), not by crashing. */
function rejects(check: () => void, message?: RegExp): void {
  let error: unknown;
  try {
    check();
  } catch (caught) {
    error = caught;
  }
  expect(error, 'the check accepted the bad variant').toBeInstanceOf(Error);
  expect((error as Error).name).toBe('AssertionError');
  if (message) expect((error as Error).message).toMatch(message);
}

// ---- the tests -------------------------------------------------------------------------------------

describe('the console bucket', () => {
  it('is private, encrypted, versioned, owner-enforced and TLS-only', () => {
    assertPrivateBucket(t, bucketId(prod));
  });

  it('negative control: a bucket with versioning suspended, a public policy allowed or no TLS deny fails', () => {
    const id = bucketId(prod);
    const suspended = copy(t);
    suspended.Resources[id]!.Properties.VersioningConfiguration = { Status: 'Suspended' };
    rejects(() => assertPrivateBucket(suspended, id));
    const open = copy(t);
    (open.Resources[id]!.Properties.PublicAccessBlockConfiguration as Json).BlockPublicPolicy = false;
    rejects(() => assertPrivateBucket(open, id));
    const noTls = copy(t);
    const [policyId] = ofType(noTls, 'AWS::S3::BucketPolicy').find(
      ([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: id }),
    )!;
    const doc = noTls.Resources[policyId]!.Properties.PolicyDocument as { Statement: Statement[] };
    doc.Statement = doc.Statement.filter((s) => s.Effect !== 'Deny');
    rejects(() => assertPrivateBucket(noTls, id));
  });

  it('is read only by CloudFront, for this distribution (Origin Access Control)', () => {
    assertOnlyThisDistributionReads(t, bucketId(prod), logicalId(prod.consoleSite.distribution));
    const config = distributionConfig(t);
    const origin = config.Origins.find((o) => o.Id === config.DefaultCacheBehavior.TargetOriginId)!;
    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [bucketId(prod), 'RegionalDomainName'] });
    expect(origin.OriginAccessControlId).toBeDefined();
    expect(ofType(t, 'AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
    expect(ofType(t, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toHaveLength(0);
  });

  it('negative control: a statement for anyone, or one without the distribution condition, fails', () => {
    const id = bucketId(prod);
    const distribution = logicalId(prod.consoleSite.distribution);
    const policyOf = (template: TemplateJson) => {
      const [policyId] = ofType(template, 'AWS::S3::BucketPolicy').find(
        ([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: id }),
      )!;
      return template.Resources[policyId]!.Properties.PolicyDocument as { Statement: Statement[] };
    };
    const publicRead = copy(t);
    policyOf(publicRead).Statement.push({
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:GetObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/*']] },
    });
    rejects(() => assertOnlyThisDistributionReads(publicRead, id, distribution));
    const anyDistribution = copy(t);
    for (const s of policyOf(anyDistribution).Statement) if (s.Effect === 'Allow') delete s.Condition;
    rejects(() => assertOnlyThisDistributionReads(anyDistribution, id, distribution));
  });

  it('keeps its files outside dev; in dev it goes with the stack, emptied first (both buckets)', () => {
    for (const bucket of [prod.consoleSite.bucket, prod.consoleSite.logsBucket]) {
      expect(t.Resources[logicalId(bucket)]).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
    expect(ofType(t, 'Custom::S3AutoDeleteObjects')).toHaveLength(0);
    for (const bucket of [dev.consoleSite.bucket, dev.consoleSite.logsBucket]) {
      expect(devTemplate.Resources[logicalId(bucket)]).toMatchObject({ DeletionPolicy: 'Delete' });
    }
    const autoDeleted = ofType(devTemplate, 'Custom::S3AutoDeleteObjects').map(
      ([, r]) => (r.Properties.BucketName as { Ref: string }).Ref,
    );
    expect(autoDeleted.sort()).toEqual(
      [logicalId(dev.consoleSite.bucket), logicalId(dev.consoleSite.logsBucket)].sort(),
    );
  });
});

describe('the /v1/* behaviour', () => {
  it('reaches the HTTP API uncached, with every viewer header but Host, every method, HTTPS only', () => {
    assertApiBehaviour(t, logicalId(prod.api));
  });

  it('negative control: a Host-forwarding policy, a cache, a redirect or fewer methods fail', () => {
    const apiId = logicalId(prod.api);
    const variants: ((b: Behaviour) => void)[] = [
      (b) => {
        b.OriginRequestPolicyId = managed.allViewer;
      },
      (b) => {
        b.CachePolicyId = managed.cachingOptimized;
      },
      (b) => {
        b.ViewerProtocolPolicy = 'redirect-to-https';
      },
      (b) => {
        b.AllowedMethods = ['GET', 'HEAD', 'OPTIONS'];
      },
    ];
    for (const mutate of variants) {
      const bad = copy(t);
      mutate(apiBehaviourOf(bad));
      rejects(() => assertApiBehaviour(bad, apiId));
    }
    const http = copy(t);
    const origin = distributionConfig(http).Origins.find(
      (o) => o.Id === apiBehaviourOf(http).TargetOriginId,
    )!;
    origin.CustomOriginConfig!.OriginProtocolPolicy = 'match-viewer';
    rejects(() => assertApiBehaviour(http, apiId));
  });

  it('answers with HSTS, nosniff and no framing, and no CSP (JSON is never rendered as a page)', () => {
    const security = headersPolicy(t, apiBehaviourOf(t)).SecurityHeadersConfig;
    expect(security.StrictTransportSecurity?.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(security.StrictTransportSecurity?.IncludeSubdomains).toBe(true);
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ContentSecurityPolicy).toBeUndefined();
  });

  it('uses the stage as origin path when the API has a named stage instead of $default', () => {
    const stack = new Stack(new App(), 'NamedStage');
    const api = new apigw.HttpApi(stack, 'Api', {
      createDefaultStage: false,
      defaultIntegration: new HttpUrlIntegration('Example', 'https://example.com'),
    });
    const stage = new apigw.HttpStage(stack, 'Stage', { httpApi: api, stageName: 'live' });
    new ConsoleSite(stack, 'Console', {
      api,
      apiStage: stage,
      distDir: consoleFixtureDir,
      isDev: false,
      removalPolicy: RemovalPolicy.RETAIN,
      stage: 'x',
    });
    const named = Template.fromStack(stack).toJSON() as TemplateJson;
    const behaviour = apiBehaviourOf(named);
    const origin = distributionConfig(named).Origins.find((o) => o.Id === behaviour.TargetOriginId);
    expect(origin?.OriginPath).toBe('/live');
    // The check on the real stack would catch it: its API is served at the stage root.
    rejects(() => assertApiBehaviour(named, logicalId(api)));
  });
});

describe('the console behaviour (default)', () => {
  it('sends consoleSecurityHeaders (CSP exactly, no inline script), HSTS and DENY', () => {
    assertConsoleHeaders(t);
    const behaviour = distributionConfig(t).DefaultCacheBehavior;
    expect(behaviour.CachePolicyId).toBe(managed.cachingOptimized);
    expect(behaviour.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behaviour.AllowedMethods).toEqual(['GET', 'HEAD']);
  });

  it("negative control: a CSP with 'unsafe-inline', another CSP, no HSTS or SAMEORIGIN fails", () => {
    const variants: ((security: ReturnType<typeof headersPolicy>['SecurityHeadersConfig']) => void)[] = [
      (s) => {
        s.ContentSecurityPolicy!.ContentSecurityPolicy =
          s.ContentSecurityPolicy!.ContentSecurityPolicy.replace(
            "script-src 'self'",
            "script-src 'self' 'unsafe-inline'",
          );
      },
      (s) => {
        s.ContentSecurityPolicy!.ContentSecurityPolicy = "default-src 'self'";
      },
      (s) => {
        delete s.StrictTransportSecurity;
      },
      (s) => {
        s.FrameOptions!.FrameOption = 'SAMEORIGIN';
      },
    ];
    for (const mutate of variants) {
      const bad = copy(t);
      mutate(headersPolicy(bad, distributionConfig(bad).DefaultCacheBehavior).SecurityHeadersConfig);
      rejects(() => assertConsoleHeaders(bad));
    }
    // The script-src check on its own: the console's CSP passes, an inline-script one does not.
    assertNoInlineScript(consoleSecurityHeaders['content-security-policy']!);
    rejects(
      () => assertNoInlineScript("default-src 'self'; script-src 'self' 'unsafe-inline'"),
      /unsafe-inline/,
    );
    rejects(() => assertNoInlineScript("default-src 'self'"));
  });

  it('builds the policy from the headers it is given, refusing what CloudFront cannot send', () => {
    const built = consoleHeadersPolicy(consoleSecurityHeaders);
    expect(built.securityHeadersBehavior?.contentSecurityPolicy?.contentSecurityPolicy).toBe(
      consoleSecurityHeaders['content-security-policy'],
    );
    expect(() => consoleHeadersPolicy({ 'x-frame-options': 'ALLOW-FROM https://example.com' })).toThrow(
      /x-frame-options/,
    );
    expect(() => consoleHeadersPolicy({ 'x-content-type-options': 'sniff' })).toThrow(/x-content-type/);
    expect(() => consoleHeadersPolicy({ 'referrer-policy': 'whatever' })).toThrow(/referrer-policy/);
  });

  it('has no distribution-wide errorResponses', () => {
    assertNoErrorResponses(t);
  });

  it('negative control: an errorResponses entry (403 -> /index.html) fails', () => {
    const bad = copy(t);
    distributionConfig(bad).CustomErrorResponses = [
      { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html' },
    ];
    rejects(() => assertNoErrorResponses(bad));
  });

  it('rewrites console routes to /index.html with the CloudFront Function (viewer request, JS 2.0)', () => {
    assertSpaRewrite(spaRewriteFunctionCode);
    const behaviour = distributionConfig(t).DefaultCacheBehavior;
    expect(behaviour.FunctionAssociations).toHaveLength(1);
    const [association] = behaviour.FunctionAssociations!;
    expect(association!.EventType).toBe('viewer-request');
    const fn = t.Resources[association!.FunctionARN['Fn::GetAtt'][0]]!;
    expect(fn.Type).toBe('AWS::CloudFront::Function');
    expect(fn.Properties.FunctionCode).toBe(spaRewriteFunctionCode);
    expect(fn.Properties.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    expect(fn.Properties.AutoPublish).toBe(true);
  });

  it('negative control: a function that rewrites everything, or nothing, fails', () => {
    const everything = `function handler(event) { event.request.uri = '/index.html'; return event.request; }`;
    rejects(() => assertSpaRewrite(everything));
    const nothing = 'function handler(event) { return event.request; }';
    rejects(() => assertSpaRewrite(nothing));
  });
});

describe('the files', () => {
  type Deployment = { Properties: Json; DependsOn?: string[] };
  const deployments = () =>
    ofType(t, 'Custom::CDKBucketDeployment').map(([id, r]) => [id, r as unknown as Deployment] as const);
  const assetDir = (deployment: Deployment) => {
    const [key] = deployment.Properties.SourceObjectKeys as string[];
    return join((prod.node.root as App).outdir, `asset.${key!.replace(/\.zip$/, '')}`);
  };

  it('hashed assets immutable for a year, the root files no-cache, nothing pruned, /index.html invalidated', () => {
    const all = deployments();
    expect(all).toHaveLength(2);
    const [assetsId, assets] = all.find(([, d]) => d.Properties.DestinationBucketKeyPrefix === 'assets/')!;
    const [, root] = all.find(([, d]) => d.Properties.DestinationBucketKeyPrefix === undefined)!;
    expect(assets.Properties).toMatchObject({
      DestinationBucketName: { Ref: bucketId(prod) },
      Prune: false,
      SystemMetadata: { 'cache-control': immutableCacheControl },
    });
    expect(immutableCacheControl).toBe('public, max-age=31536000, immutable');
    expect(assets.Properties.DistributionId).toBeUndefined();
    expect(root.Properties).toMatchObject({
      DestinationBucketName: { Ref: bucketId(prod) },
      Prune: false,
      SystemMetadata: { 'cache-control': revalidateCacheControl },
      DistributionId: { Ref: logicalId(prod.consoleSite.distribution) },
      DistributionPaths: ['/index.html'],
    });
    expect(revalidateCacheControl).toBe('no-cache');
    // index.html only after the assets it names are there.
    expect(root.DependsOn).toContain(assetsId);
    // What each one uploads: the hashed files; the root files without assets/ and dot-folders.
    expect(readdirSync(assetDir(assets))).toEqual(['app-abc123.js']);
    expect(readdirSync(assetDir(root))).toEqual(['index.html']);
    expect(readdirSync(consoleFixtureDir).sort()).toEqual(['.vite', 'assets', 'index.html']);
  });

  it('CDK’s deployment handler runs with a role of ours: no managed policy, its own log group', () => {
    const role = t.Resources[logicalId(prod.consoleSite.deploymentRole)]!;
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const fn = t.Resources[logicalId(prod.consoleSite.deploymentHandler)]!;
    expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': [logicalId(prod.consoleSite.deploymentRole), 'Arn'] });
    expect(fn.Properties.MemorySize).toBe(512);
    const logGroup = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(t.Resources[logGroup]!.Properties.RetentionInDays).toBe(30);
  });
});

describe('access logs', () => {
  it('CloudFront and the console bucket log into a bucket of their own (ACLs on for CloudFront)', () => {
    const logs = logicalId(prod.consoleSite.logsBucket);
    expect(distributionConfig(t).Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logs, 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
    expect(t.Resources[bucketId(prod)]!.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logs },
      LogFilePrefix: 'console-bucket/',
    });
    const props = t.Resources[logs]!.Properties;
    expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] });
    expect(props.PublicAccessBlockConfiguration).toMatchObject({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
    });
    const allows = bucketPolicyStatements(t, logs).filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Condition: {
          ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId(prod), 'Arn'] } },
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
      }),
    ]);
  });
});

describe('outputs and the build it needs', () => {
  it('outputs ConsoleUrl (https://<distribution domain>) and ConsoleBucketName', () => {
    const outputs = t.Outputs as Record<string, { Value: unknown }>;
    expect(outputs.ConsoleUrl?.Value).toEqual({
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetAtt': [logicalId(prod.consoleSite.distribution), 'DomainName'] }],
      ],
    });
    expect(outputs.ConsoleBucketName?.Value).toEqual({ Ref: bucketId(prod) });
  });

  const empty = mkdtempSync(join(tmpdir(), 'console-dist-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));
  const noBundling = { 'aws:cdk:bundling-stacks': [] as string[] };

  it('synthesis fails, saying to run npm run console:build, when the build has no index.html', () => {
    expect(
      () =>
        new RegistryStack(new App({ context: noBundling }), 'S', {
          stage: 'dev',
          console: { distDir: empty },
        }),
    ).toThrow(/index\.html is missing — run `npm run console:build`/);
    expect(() =>
      buildRegistryApp(new App({ context: { ...noBundling, consoleDistDir: join(empty, 'nowhere') } })),
    ).toThrow(/npm run console:build/);
    // Control: the same directory with an index.html synthesizes.
    writeFileSync(join(empty, 'index.html'), '<!doctype html>');
    expect(
      new RegistryStack(new App({ context: noBundling }), 'S', { stage: 'dev', console: { distDir: empty } })
        .consoleSite,
    ).toBeDefined();
  });
});
