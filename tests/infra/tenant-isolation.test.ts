import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RegistryStack } from '../../infra/registry-stack.js';
import { registryTable } from '../../shared/app/index.js';
import { type Json, logicalId, resources, synthesize } from './support/stack.js';

/**
 * Tenant isolation in IAM, proven offline: the synthesized policies are evaluated with an IAM
 * policy simulator. A session of the tenant access role tagged `tenantId=A` may reach `TENANT#A…`
 * keys and nothing else — not tenant B's, not the platform's API-key lookups or tenant
 * directory, not a Scan, not an index query of another tenant's partition.
 */
const account = '123456789012';
const tableArn = `arn:aws:dynamodb:cn-north-1:${account}:table/RegistryTable`;

let prod: RegistryStack;
let template: Template;

beforeAll(() => {
  ({ prod, template } = synthesize());
});

/** The identity policies attached to a role, with the table's ARN resolved. */
function policiesOf(role: IConstruct): { name: string; policy: Json }[] {
  const tableId = logicalId(prod.tables.get(registryTable.name)!);
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const getAtt = o['Fn::GetAtt'] as [string, string] | undefined;
      if (getAtt)
        return getAtt[0] === tableId && getAtt[1] === 'Arn' ? tableArn : `arn:aws:unresolved:::${getAtt[0]}`;
      if (typeof o.Ref === 'string') return `arn:aws:unresolved:::${o.Ref}`;
      const join = o['Fn::Join'] as [string, unknown[]] | undefined;
      if (join) return join[1].map(resolve).join(join[0]);
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
    }
    return v;
  };
  const roleId = logicalId(role);
  return Object.entries(resources(template, 'AWS::IAM::Policy'))
    .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .map(([id, p]) => ({ name: id, policy: resolve(p.Properties.PolicyDocument) as Json }));
}

interface Probe {
  action: string;
  /** `table` or `index/<name>` */
  on: string;
  leadingKeys?: string[];
}

async function decide(policies: { name: string; policy: Json }[], tenantId: string, probe: Probe) {
  const resource = probe.on === 'table' ? tableArn : `${tableArn}/${probe.on}`;
  const response = await runSimulation(
    {
      identityPolicies: policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action: probe.action,
        principal: `arn:aws:sts::${account}:assumed-role/TenantReadWriteRole/tenant-${tenantId}`,
        resource: { resource, accountId: account },
        contextVariables: {
          'aws:PrincipalTag/tenantId': tenantId,
          ...(probe.leadingKeys ? { 'dynamodb:LeadingKeys': probe.leadingKeys } : {}),
        },
      },
    } as never,
    {},
  );
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

const mustAllow: Probe[] = [
  { action: 'dynamodb:GetItem', on: 'table', leadingKeys: ['TENANT#t_A'] },
  { action: 'dynamodb:GetItem', on: 'table', leadingKeys: ['TENANT#t_A#PERSON#p_1'] },
  { action: 'dynamodb:PutItem', on: 'table', leadingKeys: ['TENANT#t_A#PERSON#p_1'] },
  {
    action: 'dynamodb:BatchGetItem',
    on: 'table',
    leadingKeys: ['TENANT#t_A#PERSON#p_1', 'TENANT#t_A#PERSON#p_2'],
  },
  { action: 'dynamodb:Query', on: 'index/byGrid', leadingKeys: ['TENANT#t_A#GRID#g_1'] },
];

const mustDeny: Probe[] = [
  { action: 'dynamodb:GetItem', on: 'table', leadingKeys: ['TENANT#t_B#PERSON#p_1'] },
  { action: 'dynamodb:PutItem', on: 'table', leadingKeys: ['TENANT#t_B'] },
  // a tenant id that merely starts with A's
  { action: 'dynamodb:GetItem', on: 'table', leadingKeys: ['TENANT#t_AB#PERSON#p_1'] },
  // one of two keys another tenant's
  {
    action: 'dynamodb:BatchGetItem',
    on: 'table',
    leadingKeys: ['TENANT#t_A#PERSON#p_1', 'TENANT#t_B#PERSON#p_2'],
  },
  { action: 'dynamodb:GetItem', on: 'table', leadingKeys: ['APIKEY#abc'] },
  { action: 'dynamodb:PutItem', on: 'table', leadingKeys: ['APIKEY#abc'] },
  { action: 'dynamodb:Query', on: 'table', leadingKeys: ['TENANTS'] },
  { action: 'dynamodb:Query', on: 'index/byGrid', leadingKeys: ['TENANT#t_B#GRID#g_1'] },
  // index scans across tenants, and requests with no leading key at all
  { action: 'dynamodb:Scan', on: 'index/byGrid' },
  { action: 'dynamodb:Scan', on: 'table' },
  { action: 'dynamodb:Query', on: 'index/byGrid' },
];

/** Every probe whose decision is not the one isolation requires. */
async function isolationViolations(policies: { name: string; policy: Json }[]): Promise<string[]> {
  const found: string[] = [];
  for (const p of mustAllow)
    if ((await decide(policies, 't_A', p)) !== 'Allowed') found.push(`refused: ${JSON.stringify(p)}`);
  for (const p of mustDeny)
    if ((await decide(policies, 't_A', p)) === 'Allowed') found.push(`allowed: ${JSON.stringify(p)}`);
  return found;
}

describe('tenant isolation in IAM', () => {
  it("a session tagged with tenant A reaches A's keys and nothing else", async () => {
    const policies = policiesOf(prod.tenantAccessRoles.readWrite);
    expect(policies.length).toBeGreaterThan(0);
    expect(await isolationViolations(policies)).toEqual([]);
  });

  it('the read-only tenant role writes nothing, even for its own tenant', async () => {
    const policies = policiesOf(prod.tenantAccessRoles.read);
    expect(await decide(policies, 't_A', mustAllow[1]!)).toBe('Allowed');
    expect(await decide(policies, 't_A', mustAllow[2]!)).not.toBe('Allowed');
  });

  it("the HTTP functions' own roles reach no tenant item (only their declared platform items)", async () => {
    for (const [name, fn] of prod.httpFunctions) {
      const policies = policiesOf(fn.role);
      for (const probe of [
        ...mustAllow,
        { action: 'dynamodb:Query', on: 'table', leadingKeys: ['TENANTS'] },
      ]) {
        const sameTenantTouch = probe.leadingKeys?.some((k) => k.startsWith('TENANT#t_A')) ?? false;
        if (!sameTenantTouch && name !== 'signup') continue;
        const decision = await decide(policies, 't_A', probe);
        // Sign-up may create a tenant's first items (PutItem only), nothing else of any tenant.
        const allowed = name === 'signup' && probe.action === 'dynamodb:PutItem';
        expect(decision === 'Allowed', `${name}: ${JSON.stringify(probe)}`).toBe(allowed);
      }
    }
  });

  it('the authorizer reads keys and tenants, and may write only the lookups (their last-used day)', async () => {
    const policies = policiesOf(prod.authorizerFunction.role);
    const probe = (action: string, key: string) =>
      decide(policies, 't_A', { action, on: 'table', leadingKeys: [key] });
    expect(await probe('dynamodb:GetItem', 'APIKEY#abc')).toBe('Allowed');
    expect(await probe('dynamodb:GetItem', 'TENANT#t_A')).toBe('Allowed');
    expect(await probe('dynamodb:UpdateItem', 'APIKEY#abc')).toBe('Allowed');
    expect(await probe('dynamodb:UpdateItem', 'TENANT#t_A')).not.toBe('Allowed');
    expect(await probe('dynamodb:PutItem', 'APIKEY#abc')).not.toBe('Allowed');
    expect(await probe('dynamodb:GetItem', 'TENANTS')).not.toBe('Allowed');
  });

  it('fails when the policy is widened (negative control)', async () => {
    const widened = policiesOf(prod.tenantAccessRoles.readWrite).map(({ name, policy }) => ({
      name,
      policy: {
        ...policy,
        Statement: (policy.Statement as Json[]).map(({ Condition: _dropped, ...s }) => s),
      },
    }));
    const violations = await isolationViolations(widened);
    expect(violations).toContain(`allowed: ${JSON.stringify(mustDeny[0])}`);
  });
});
