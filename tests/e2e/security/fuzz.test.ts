import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../../shared/platform/dates.js';
import { testStackLimits } from '../../support/local-stack.js';
import { call } from '../support/api.js';
import {
  carriesPersonalData,
  diffSnapshots,
  exchangeViolations,
  type IdsByKind,
  idKindOf,
  inputSchemaOf,
  type JsonSchema,
  Pacer,
  queryString,
  type RawRequest,
  type RawResponse,
  rawAgent,
  routeKeyOf,
  routes,
  runPool,
  type SeededTenant,
  seedTenant,
  sendRaw,
  snapshotTenant,
  statisticsCaughtUp,
  validExample,
} from '../support/fuzz.js';

/**
 * A bounded, seeded fuzz of every operation in the OpenAPI document, against the real local
 * stack. Requests are sampled with fast-check from a fixed seed (the same sequence every run
 * for a given route table; only the ids minted by the stack differ), then sent 8 at a time,
 * paced just under the test stack's stage throttle (`testStackLimits`). Properties, per exchange: no 5xx; every
 * 4xx is problem+json whose `status` is the HTTP status; every request carrying a fault the
 * contract says must be refused is refused; an unknown / other tenant's id in the path is a
 * 404; no value of the other tenant leaks. Over the whole run: the fuzzing tenant and the other
 * tenant read exactly the same through every GET route before and after — nothing was written,
 * except the access entries ("who saw whose identity") that the fuzzing key's own successful
 * reads of raw data legitimately leave in the fuzzing tenant.
 *
 * Every write request carries at least one refusable fault (if the sample has none, one is
 * forced: no or a revoked Authorization, or an unknown field on a public route), so "nothing
 * written" is exact: the snapshots must be equal.
 */

const SEED = 20_261_129;
const REQUESTS = 5_000;
const CONCURRENCY = 8;
/**
 * Just under the test stack's stage rate, and 3/4 of its burst (setup and the first snapshot have
 * spent some of the bucket). The test stack's throttle is 3× the deployed one (`apiThrottle`), so
 * the 5,000 requests take under 20 s of pacing instead of 50; the host's throttling code is the same.
 */
const stageThrottle = testStackLimits.stageThrottle;
const RATE = stageThrottle.rateLimit * 0.99;
const BURST = Math.floor(stageThrottle.burstLimit * 0.75);

const today = todayIn('Asia/Shanghai');
const tag = `Fz${Date.now().toString(36)}`;

// ---------------------------------------------------------------------------------------------
// Operations, from the OpenAPI document (and their zod schemas from the route table)

interface Operation {
  key: string;
  method: string;
  path: string;
  route: (typeof routes)[number];
  pathParams: string[];
  queryParams: { name: string; schema: JsonSchema }[];
  headerParams: string[];
  hasBody: boolean;
  isPublic: boolean;
  methodsOnPath: string[];
}

interface OpenApiParameter {
  name: string;
  in: string;
  schema?: JsonSchema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: unknown;
  security?: unknown[];
}

function operationsOf(doc: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(item)) {
      const method = m.toUpperCase();
      const key = `${method} ${path}`;
      const route = routes.find((r) => routeKeyOf(r) === key);
      if (!route) throw new Error(`${key} is in the OpenAPI document but not in the route table`);
      const params = op.parameters ?? [];
      ops.push({
        key,
        method,
        path,
        route,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        headerParams: params.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase()),
        hasBody: op.requestBody !== undefined,
        isPublic: (op.security ?? []).length === 0,
        methodsOnPath: Object.keys(item).map((x) => x.toUpperCase()),
      });
    }
  }
  return ops;
}

// ---------------------------------------------------------------------------------------------
// What a sampled request is made of

type Body =
  | { kind: 'none' }
  | { kind: 'text'; text: string; label: string }
  | { kind: 'deep'; depth: number; shape: 'array' | 'object' | 'field' }
  | { kind: 'oversized'; bytes: number };

interface Segment {
  text: string;
  /** Not one of the fuzzing tenant's own ids of this kind (→ must be 404). */
  fault: boolean;
  label: string;
}

interface Case {
  op: Operation;
  profile: 'targeted' | 'random' | 'wrong-method';
  method: string;
  segments: Record<string, Segment>;
  query: string;
  auth: { header: string | undefined; refusable: boolean; label: string };
  contentType: string | undefined;
  body: Body;
  extra: Record<string, string>;
  force: number;
}

interface Planned {
  c: Case;
  request: RawRequest;
  faults: string[];
  mustReject: boolean;
  expectStatus?: number;
}

interface Ctx {
  adminKey: string;
  revokedKey: string;
  own: IdsByKind;
  foreign: IdsByKind;
  foreignTenantId: string;
  prefixes: Record<string, string>;
  canonical: Map<string, unknown>;
  canonicalQuery: Map<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Value arbitraries

const nastyStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u001f\u007f',
  '\r\n',
  '\t',
  '\u001b[31mred\u001b[0m',
  '\u202egnp.exe',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\uffff',
  '💩',
  '𠜎𠜱𠝹',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
  '中文名字',
  'null',
  'undefined',
  'NaN',
  'true',
  '[]',
  '{}',
  '0',
  '-1',
  '1e309',
  "' OR '1'='1",
  '"; DROP TABLE registry; --',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent literally
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '%zz',
  '\\',
  '"',
  '__proto__',
  'constructor',
  'TENANT#t_01',
  'PERSON#p_01',
  'a'.repeat(301),
  'x'.repeat(5_000),
];

const protoKeys = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '$where',
  'tenantId',
  'role',
  'status',
  'version',
  'personId',
  'pk',
  'sk',
];

const hugeNumbers = [
  '1e400',
  '-1e400',
  '1e-400',
  '-0',
  '123456789012345678901234567890',
  '9007199254740993',
  '1.7976931348623157e308',
  '0.0000000000000000000000001',
  '-9223372036854775809',
];

const NUM = (raw: string) => `@@NUM(${raw})@@`;
const stringify = (v: unknown): string =>
  JSON.stringify(v).replace(/"@@NUM\((.*?)\)@@"/g, (_, raw: string) => raw);

const nasty = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...nastyStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  nasty,
  fc.constantFrom(...hugeNumbers).map(NUM),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.oneof(nasty, fc.constantFrom(...protoKeys)), fc.jsonValue({ maxDepth: 2 }), {
    maxKeys: 3,
  }),
);

function idArb(ctx: Ctx, kind: string | undefined): fc.Arbitrary<string> {
  const own = kind ? (ctx.own[kind] ?? []) : [];
  const foreign = kind ? (ctx.foreign[kind] ?? []) : [];
  const prefix = kind ? (ctx.prefixes[kind] ?? 'x') : 'x';
  const all = Object.values(ctx.own).flat();
  return fc.oneof(
    ...(own.length > 0 ? [fc.constantFrom(...own)] : []),
    ...(foreign.length > 0 ? [fc.constantFrom(...foreign)] : []),
    fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/).map((s) => `${prefix}_${s}`),
    fc.constantFrom(...all),
  );
}

/** A value for a JSON Schema: mostly of the right shape, with fuzzy strings and ids. */
function valueArb(schema: JsonSchema, name: string, ctx: Ctx, depth = 0): fc.Arbitrary<unknown> {
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return fc.oneof(...options.map((o) => valueArb(o, name, ctx, depth)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), nasty);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'null') return fc.constant(null);
  if ((type === 'object' || schema.properties) && depth < 3) {
    const props = schema.properties ?? {};
    const required = schema.required ?? [];
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, s] of Object.entries(props)) record[k] = valueArb(s, k, ctx, depth + 1);
    return fc.record(record, { requiredKeys: required.filter((k) => k in record) });
  }
  if (type === 'array' && depth < 3) {
    const singular = name.endsWith('s') ? name.slice(0, -1) : name;
    return fc.array(valueArb(schema.items ?? {}, singular, ctx, depth + 1), {
      minLength: 0,
      maxLength: Math.min(schema.maxItems ?? 4, 4),
    });
  }
  if (type === 'integer' || type === 'number') {
    return fc.oneof(
      fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 10_000 }),
      fc.integer(),
      fc.double(),
      fc.constantFrom(...hugeNumbers).map(NUM),
      fc.constantFrom('5', '1.5'),
    );
  }
  if (type === 'boolean') return fc.boolean();
  if (type === 'string') {
    const kind = idKindOf(name);
    const candidates = [
      today,
      today.slice(0, 7),
      '2026-02-30',
      '1899-12-31',
      '2999-01-01',
      'Asia/Shanghai',
      'Mars/Base',
    ];
    return fc.oneof(
      ...(kind ? [idArb(ctx, kind)] : []),
      ...(schema.pattern ? [fc.stringMatching(new RegExp(schema.pattern))] : []),
      fc.constantFrom(...candidates),
      fc.string({ maxLength: schema.maxLength ? Math.min(schema.maxLength, 40) : 40 }),
      nasty,
    );
  }
  return anyJson;
}

/** One mutation of a JSON value: a wrong type, a hostile string, a huge number, a prototype key… */
function mutationArb(value: unknown): fc.Arbitrary<{ value: unknown; label: string }> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return anyJson.map((v) => ({ value: v, label: 'replaced' }));
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  const keyArb = keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('name');
  const set = (k: string, v: unknown) => ({ ...obj, [k]: v });
  return fc.oneof(
    fc.tuple(keyArb, anyJson).map(([k, v]) => ({ value: set(k, v), label: `wrong-type:${k}` })),
    fc.tuple(keyArb, nasty).map(([k, v]) => ({ value: set(k, v), label: `hostile-string:${k}` })),
    fc
      .tuple(keyArb, fc.constantFrom(...hugeNumbers))
      .map(([k, n]) => ({ value: set(k, NUM(n)), label: `huge-number:${k}` })),
    keyArb.map((k) => {
      const { [k]: _dropped, ...rest } = obj;
      return { value: rest, label: `missing:${k}` };
    }),
    fc.tuple(fc.constantFrom(...protoKeys), anyJson).map(([k, v]) => {
      const copy = { ...obj };
      Object.defineProperty(copy, k, { value: v, enumerable: true, configurable: true, writable: true });
      return { value: copy, label: `extra-key:${k}` };
    }),
    fc.tuple(fc.string({ maxLength: 12 }), anyJson).map(([k, v]) => ({
      value: { ...obj, [k === '' ? 'unknownField' : k]: v },
      label: 'unknown-field',
    })),
    fc.tuple(keyArb, fc.integer({ min: 33, max: 200 })).map(([k, d]) => {
      let nested: unknown = 1;
      for (let i = 0; i < d; i++) nested = [nested];
      return { value: set(k, nested), label: `deep-field:${k}` };
    }),
    keyArb.map((k) => ({ value: set(k, 'x'.repeat(20_001)), label: `long-string:${k}` })),
    fc.constantFrom(
      { value: [obj], label: 'array-body' },
      { value: null, label: 'null-body' },
      { value: JSON.stringify(obj), label: 'string-body' },
      { value: 0, label: 'number-body' },
    ),
  );
}

const malformed = [
  '{',
  '}',
  '{"a":}',
  "{'a':1}",
  '{"a":1,}',
  '[1,2',
  'NaN',
  'undefined',
  '\ufeff{}',
  '{"a":1}{"b":2}',
  '{"a":"\\x"}',
  '"unterminated',
  'nul',
  '{"a":01}',
  '{"a":1e}',
  ' ',
  '\u0000',
  '<?xml version="1.0"?><a/>',
  'a=1&b=2',
  '{"a":"\u0001"}',
  '\u00ff\u00fe{',
];

function bodyArb(op: Operation, ctx: Ctx): fc.Arbitrary<Body> {
  const text = (label: string) => (v: unknown) => ({ kind: 'text' as const, text: stringify(v), label });
  const deep = fc.record({
    kind: fc.constant('deep' as const),
    depth: fc.constantFrom(33, 100, 1_000, 10_000, 100_000),
    shape: fc.constantFrom('array' as const, 'object' as const, 'field' as const),
  });
  const oversized = fc.record({
    kind: fc.constant('oversized' as const),
    bytes: fc.constantFrom(256 * 1024 + 1, 300_000, 600_000),
  });
  const arbitrary = anyJson.map(text('arbitrary-json'));
  const broken = fc
    .constantFrom(...malformed)
    .map((t) => ({ kind: 'text' as const, text: t, label: 'malformed' }));
  if (!op.hasBody) {
    return fc.oneof(
      { weight: 40, arbitrary: fc.constant({ kind: 'none' as const }) },
      { weight: 2, arbitrary },
      { weight: 2, arbitrary: broken },
      { weight: 1, arbitrary: deep },
      { weight: 1, arbitrary: oversized },
    );
  }
  const canonical = ctx.canonical.get(op.key);
  const schema = inputSchemaOf(op.route.body as Parameters<typeof inputSchemaOf>[0]);
  const truncated = fc.nat().map((n) => {
    const full = stringify(canonical);
    return { kind: 'text' as const, text: full.slice(0, n % Math.max(1, full.length)), label: 'truncated' };
  });
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 2, arbitrary: fc.constant(canonical).map(text('canonical')) },
    { weight: 9, arbitrary: mutationArb(canonical).map((m) => text(m.label)(m.value)) },
    {
      weight: 4,
      arbitrary: valueArb(schema, '', ctx)
        .chain((v) => fc.oneof(fc.constant({ value: v, label: 'schema-random' }), mutationArb(v)))
        .map((m) => text(`schema-random/${m.label}`)(m.value)),
    },
    { weight: 2, arbitrary },
    { weight: 2, arbitrary: broken },
    { weight: 1, arbitrary: truncated },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: oversized },
  );
}

function materialise(body: Body): string | undefined {
  switch (body.kind) {
    case 'none':
      return undefined;
    case 'text':
      return body.text;
    case 'deep':
      if (body.shape === 'array') return `${'['.repeat(body.depth)}${']'.repeat(body.depth)}`;
      if (body.shape === 'object') return `${'{"a":'.repeat(body.depth)}1${'}'.repeat(body.depth)}`;
      return `{"name":${'['.repeat(body.depth)}${']'.repeat(body.depth)}}`;
    case 'oversized':
      return `{"name":"${'x'.repeat(body.bytes)}","address":"${'y'.repeat(16)}"}`;
  }
}

/** Percent-encode a string's UTF-8 bytes, keeping only unreserved characters (a lone surrogate → U+FFFD). */
function encodeBytes(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9_~-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const rawGarbageSegments = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%00',
  '%2F',
  'a%2Fb',
  '%252e',
  '%C0%AE',
  '%FF%FE',
  ';x',
  '*',
];

function segmentArb(kind: string | undefined, ctx: Ctx, allowOwn: boolean): fc.Arbitrary<Segment> {
  const own = kind ? (ctx.own[kind] ?? []) : [];
  const foreign = kind ? (ctx.foreign[kind] ?? []) : [];
  const prefix = kind ? (ctx.prefixes[kind] ?? 'x') : 'x';
  const wrongKind = Object.entries(ctx.own)
    .filter(([k]) => k !== kind)
    .flatMap(([, v]) => v);
  const ownOne = own[0] ?? 'x_0';
  const mangled = [
    ownOne.toUpperCase(),
    ownOne.toLowerCase(),
    `${ownOne}0`,
    ownOne.slice(0, -1),
    ` ${ownOne}`,
    `${ownOne} `,
    ownOne.replace('_', '-'),
    `${ownOne}%00`,
    `${ownOne}/x`,
  ];
  const seg =
    (label: string, fault = true) =>
    (text: string) => ({ text, fault, label });
  const garbage = fc
    .oneof(
      nasty.map((s) => (s === '' ? ' ' : s.slice(0, 2_000))).map(encodeBytes),
      fc.constantFrom(...rawGarbageSegments),
      fc.constantFrom(...mangled).map(encodeBytes),
    )
    // "." and ".." are dot-segments: URL normalisation would target another route.
    .map((t) => (/^(?:\.|%2e){1,2}$/i.test(t) ? 'dot' : t))
    .map(seg('garbage'));
  return fc.oneof(
    ...(allowOwn && own.length > 0
      ? [{ weight: 8, arbitrary: fc.constantFrom(...own).map(seg('own', false)) }]
      : []),
    ...(foreign.length > 0
      ? [{ weight: 4, arbitrary: fc.constantFrom(...foreign).map(seg('other-tenant')) }]
      : []),
    {
      weight: 2,
      arbitrary: fc
        .stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/)
        .map((s) => seg('unknown-id')(`${prefix}_${s}`)),
    },
    ...(wrongKind.length > 0
      ? [{ weight: 2, arbitrary: fc.constantFrom(...wrongKind).map(seg('wrong-kind')) }]
      : []),
    { weight: 4, arbitrary: garbage },
  );
}

const unknownQueryNames = [
  '__proto__',
  'constructor',
  'toString',
  'tenantId',
  'limit[]',
  'x',
  'cursor ',
  'LIMIT',
  '',
];
const garbageQueryValues = [
  '',
  '0',
  '-1',
  '101',
  '1e309',
  '9007199254740993',
  '0x10',
  ' 5',
  '5.5',
  'Infinity',
  'NaN',
  'null',
  'true',
  '[]',
  '{"$gt":""}',
  'A'.repeat(2_500),
];
const rawGarbageQueries = [
  '%',
  '%zz=1',
  '&&&',
  '=',
  '==',
  'limit',
  'limit=',
  '?',
  'a=b=c',
  '%00=%00',
  'limit=1&limit=2',
  ';',
  '+',
  '%2B',
  'cursor=%ff%fe',
];

function queryArb(op: Operation, ctx: Ctx): fc.Arbitrary<string> {
  const raw = fc.constantFrom(...rawGarbageQueries);
  if (op.queryParams.length === 0) {
    return fc.oneof({ weight: 8, arbitrary: fc.constant('') }, { weight: 1, arbitrary: raw });
  }
  const valueFor = (p: { name: string; schema: JsonSchema }) =>
    fc.oneof(
      valueArb(p.schema, p.name, ctx).map((v) => (typeof v === 'string' ? v : stringify(v))),
      fc.constantFrom(...garbageQueryValues),
      nasty,
    );
  // Each declared parameter present or not (built once: no `chain`, which would rebuild per sample).
  const known = fc
    .tuple(
      ...op.queryParams.map((p) =>
        fc.option(
          valueFor(p).map((v): [string, string] => [p.name, v]),
          { nil: undefined },
        ),
      ),
    )
    .map((pairs) => pairs.filter((x): x is [string, string] => x !== undefined));
  const unknown = fc.array(
    fc.tuple(fc.oneof(fc.constantFrom(...unknownQueryNames), nasty), fc.constantFrom(...garbageQueryValues)),
    {
      maxLength: 2,
    },
  );
  const structured = fc.tuple(known, unknown, fc.boolean()).map(([k, u, dup]) => {
    const pairs = [...k, ...u, ...(dup && k[0] ? [k[0]] : [])];
    return pairs.map(([n, v]) => `${encodeBytes(n)}=${encodeBytes(v)}`).join('&');
  });
  const canonical = ctx.canonicalQuery.get(op.key) ?? '';
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(canonical) },
    { weight: 6, arbitrary: structured },
    { weight: 2, arbitrary: raw },
  );
}

const swapLastTwo = (key: string): string => {
  const swapped = `${key.slice(0, -2)}${key.slice(-1)}${key.slice(-2, -1)}`;
  return `Bearer ${swapped === key ? `${key}y` : swapped}`;
};

function authArb(ctx: Ctx): fc.Arbitrary<Case['auth']> {
  const key = ctx.adminKey;
  const refused = (label: string) => (header: string | undefined) => ({ header, refusable: true, label });
  const printable = fc
    .string({ unit: 'binary-ascii', maxLength: 300 })
    .map((s) => s.replace(/[^\x20-\x7e]/g, ''));
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant({ header: `Bearer ${key}`, refusable: false, label: 'admin' }) },
    { weight: 2, arbitrary: fc.constant(undefined).map(refused('missing')) },
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(
          '',
          'Bearer',
          'Bearer ',
          `Bearer ${key}x`,
          `Bearer ${key.slice(0, -1)}`,
          swapLastTwo(key),
          `Token ${key}`,
          key,
          `Basic ${Buffer.from(`admin:${key}`).toString('base64')}`,
          `Bearer ${key} ${key}`,
          `Bearer trk_${'A'.repeat(201)}`,
          `Bearer ${ctx.revokedKey}`,
          'Bearer null',
          `Bearer ${'x'.repeat(6_000)}`,
        )
        .map(refused('garbage')),
    },
    {
      weight: 2,
      arbitrary: fc
        .stringMatching(/^[A-Za-z0-9_-]{20,80}$/)
        .map((s) => refused('unknown-key')(`Bearer trk_${s}`)),
    },
    { weight: 1, arbitrary: printable.map((s) => refused('random')(`Bearer ${s.trim()}x`)) },
  );
}

const JSON_TYPES = new Set([
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/merge-patch+json',
]);
const NON_JSON_TYPES = new Set([
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'application/jsonx',
  'json',
  ';',
  '*/*',
]);
const contentTypeArb = (op: Operation) =>
  fc.oneof(
    { weight: op.hasBody ? 10 : 1, arbitrary: fc.constant<string | undefined>('application/json') },
    { weight: 3, arbitrary: fc.constant<string | undefined>(undefined) },
    { weight: 2, arbitrary: fc.constantFrom<string | undefined>(...JSON_TYPES) },
    { weight: 3, arbitrary: fc.constantFrom<string | undefined>(...NON_JSON_TYPES) },
    { weight: 1, arbitrary: fc.constant<string | undefined>('application/json; charset=utf-16') },
  );

function extraHeadersArb(op: Operation, method: string, ctx: Ctx): fc.Arbitrary<Record<string, string>> {
  const idem =
    method === 'POST'
      ? fc.oneof(
          { weight: 8, arbitrary: fc.constant<Record<string, string>>({}) },
          {
            weight: 1,
            arbitrary: fc.stringMatching(/^[!-~]{16,40}$/).map((k) => ({ 'idempotency-key': k })),
          },
          {
            weight: 1,
            arbitrary: fc
              .constantFrom('', 'x'.repeat(256), 'a b', 'short', '\u00e9t\u00e9')
              .map((k) => ({ 'idempotency-key': k })),
          },
        )
      : fc.constant({});
  const ifMatch = op.headerParams.includes('if-match')
    ? fc.oneof(
        { weight: 6, arbitrary: fc.constant<Record<string, string>>({}) },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom('abc', '"x"', '*', 'W/"1"', '"999999999"', '1'.repeat(20), '', '-1', '"1", "2"')
            .map((v) => ({ 'if-match': v })),
        },
      )
    : fc.constant({});
  const spoof = fc.oneof(
    { weight: 8, arbitrary: fc.constant<Record<string, string>>({}) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Record<string, string>>(
        { 'x-tenant-id': ctx.foreignTenantId },
        { 'x-forwarded-for': '10.0.0.1, 127.0.0.1' },
        { 'x-http-method-override': 'DELETE' },
        { 'x-amzn-requestid': 'spoofed' },
        { cookie: 'session=1; tenant=other' },
        { accept: 'application/xml' },
      ),
    },
  );
  return fc.tuple(idem, ifMatch, spoof).map(([a, b, c]) => ({ ...a, ...b, ...c }));
}

/** Every sub-arbitrary is built once per operation (building them per sample is what costs). */
function caseArb(op: Operation, ctx: Ctx): fc.Arbitrary<Case> {
  const segmentsFor = (mode: 'random' | 'targeted' | 'own') =>
    fc.record(
      Object.fromEntries(
        op.pathParams.map((p) => [
          p,
          mode === 'own'
            ? fc
                .constantFrom(...(ctx.own[idKindOf(p) ?? ''] ?? ['x']))
                .map((t) => ({ text: t, fault: false, label: 'own' }))
            : segmentArb(idKindOf(p), ctx, mode === 'random'),
        ]),
      ),
    ) as fc.Arbitrary<Record<string, Segment>>;
  const query = queryArb(op, ctx);
  const auth = authArb(ctx);
  const contentType = contentTypeArb(op);
  const body = bodyArb(op, ctx);
  const randomWith = (
    profile: 'random' | 'wrong-method',
    method: string,
    segments: fc.Arbitrary<Record<string, Segment>>,
  ) =>
    fc.record({
      op: fc.constant(op),
      profile: fc.constant(profile),
      method: fc.constant(method),
      segments,
      query,
      auth,
      contentType,
      body,
      extra: extraHeadersArb(op, method, ctx),
      force: fc.nat(),
    });
  const wrongMethods = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT'].filter((m) => !op.methodsOnPath.includes(m));
  const ownSegments = segmentsFor('own');
  const profiles: fc.WeightedArbitrary<Case>[] = [
    { weight: 14, arbitrary: randomWith('random', op.method, segmentsFor('random')) },
    {
      weight: 1,
      arbitrary: fc.oneof(...wrongMethods.map((m) => randomWith('wrong-method', m, ownSegments))),
    },
  ];
  if (op.pathParams.length > 0) {
    const canonical = ctx.canonical.get(op.key);
    profiles.push({
      weight: 6,
      arbitrary: fc.record({
        op: fc.constant(op),
        profile: fc.constant('targeted' as const),
        method: fc.constant(op.method),
        segments: segmentsFor('targeted'),
        query: fc.constant(ctx.canonicalQuery.get(op.key) ?? ''),
        auth: fc.constant({ header: `Bearer ${ctx.adminKey}`, refusable: false, label: 'admin' }),
        contentType: fc.constant(op.hasBody ? 'application/json' : undefined),
        body: fc.constant<Body>(
          op.hasBody ? { kind: 'text', text: stringify(canonical), label: 'canonical' } : { kind: 'none' },
        ),
        extra: fc.constant({}),
        force: fc.nat(),
      }),
    });
  }
  return fc.oneof(...profiles);
}

/** A request over any operation of the document, each equally likely. */
const requestArb = (ctx: Ctx): fc.Arbitrary<Case> => fc.oneof(...ops.map((op) => caseArb(op, ctx)));

// ---------------------------------------------------------------------------------------------
// Classification: which faults the contract says must be refused

/** The query object as the gateway hands it to the function (duplicate names joined by commas). */
function gatewayQuery(raw: string): Record<string, string> {
  const url = new URL(`/q?${raw}`, 'http://localhost');
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  return query;
}

function faultsOf(c: Case): string[] {
  const faults: string[] = [];
  const { op } = c;
  if (c.profile === 'wrong-method') faults.push('method');
  if (!op.isPublic && c.auth.refusable) faults.push(`auth:${c.auth.label}`);
  for (const [p, s] of Object.entries(c.segments)) if (s.fault) faults.push(`path:${p}:${s.label}`);
  if (op.route.query && !op.route.query.safeParse(gatewayQuery(c.query)).success) faults.push('query');
  const text = c.body.kind === 'text' ? c.body.text : undefined;
  const sendsBody = c.body.kind !== 'none' && text !== '';
  if (c.body.kind === 'oversized') faults.push('oversized');
  else if (op.route.body) {
    if (sendsBody && (c.contentType === undefined || NON_JSON_TYPES.has(c.contentType)))
      faults.push('content-type');
    else if (!sendsBody || (c.contentType !== undefined && JSON_TYPES.has(c.contentType))) {
      if (c.body.kind === 'deep') faults.push('deep');
      else {
        let parsed: unknown;
        let ok = true;
        if (sendsBody) {
          try {
            parsed = JSON.parse(text as string);
          } catch {
            ok = false;
            faults.push('malformed');
          }
        }
        if (ok && !op.route.body.safeParse(parsed ?? {}).success)
          faults.push(`body:${c.body.kind === 'text' ? c.body.label : 'none'}`);
      }
    }
  }
  const idem = c.extra['idempotency-key'];
  if (c.method === 'POST' && idem !== undefined && (idem === '' || idem.length > 255))
    faults.push('idempotency-key');
  return faults;
}

/** A write with nothing refusable gets one forced fault, so the fuzz never writes. */
function forceFault(c: Case, ctx: Ctx): Case {
  if (!c.op.isPublic) {
    return c.force % 2 === 0
      ? { ...c, auth: { header: undefined, refusable: true, label: 'missing(forced)' } }
      : { ...c, auth: { header: `Bearer ${ctx.revokedKey}`, refusable: true, label: 'revoked(forced)' } };
  }
  const canonical = (ctx.canonical.get(c.op.key) ?? {}) as Record<string, unknown>;
  return {
    ...c,
    contentType: 'application/json',
    body: {
      kind: 'text',
      text: stringify({ ...canonical, unexpected: c.force }),
      label: 'unknown-field(forced)',
    },
  };
}

function plan(c0: Case, ctx: Ctx): Planned {
  let c = c0;
  let faults = faultsOf(c);
  if (faults.length === 0 && c.method !== 'GET') {
    c = forceFault(c, ctx);
    faults = faultsOf(c);
  }
  const path = c.op.path.replace(/\{(\w+)\}/g, (_, p: string) => c.segments[p]?.text ?? 'x');
  const target = c.query === '' ? path : `${path}?${c.query}`;
  const headers: Record<string, string> = { ...c.extra };
  if (c.auth.header !== undefined) headers.authorization = c.auth.header;
  if (c.contentType !== undefined) headers['content-type'] = c.contentType;
  const body = materialise(c.body);
  const request: RawRequest = { method: c.method, target, headers, ...(body !== undefined ? { body } : {}) };
  const onlyPath = faults.length > 0 && faults.every((f) => f.startsWith('path:'));
  return {
    c,
    request,
    faults,
    mustReject: faults.length > 0,
    ...(c.profile === 'targeted' && onlyPath ? { expectStatus: 404 } : {}),
  };
}

// ---------------------------------------------------------------------------------------------

let ops: Operation[];
let ctx: Ctx;
let fuzzing: SeededTenant;
let other: SeededTenant;

let setupSeconds = 0;

beforeAll(async () => {
  const setupStarted = performance.now();
  const doc = await call('GET', '/v1/openapi.json');
  ops = operationsOf(doc.body);
  [fuzzing, other] = await Promise.all([
    seedTenant('Fuzzing', 7000, tag, today),
    seedTenant('Other', 9000, tag, today),
  ]);
  const revoked = await call('POST', '/v1/api-keys', {
    key: fuzzing.adminKey,
    body: { name: `Fuzz revoked ${tag}`, role: 'office' },
  });
  await call('DELETE', `/v1/api-keys/${revoked.body.keyId}`, { key: fuzzing.adminKey });
  fuzzing.ids.key = [...(fuzzing.ids.key ?? []), revoked.body.keyId];
  const prefixes = Object.fromEntries(
    Object.entries(fuzzing.ids).map(([kind, ids]) => [kind, (ids[0] ?? 'x_').split('_')[0] as string]),
  );
  const canonical = new Map<string, unknown>();
  const canonicalQuery = new Map<string, string>();
  for (const op of ops) {
    if (op.route.body) canonical.set(op.key, validExample(op.route.body, fuzzing.ids, today, op.key));
    if (op.route.query) {
      const q = validExample(op.route.query, fuzzing.ids, today, op.key) as Record<string, unknown>;
      canonicalQuery.set(op.key, queryString(q).slice(1));
    }
  }
  ctx = {
    adminKey: fuzzing.adminKey,
    revokedKey: revoked.body.apiKey,
    own: fuzzing.ids,
    foreign: other.ids,
    foreignTenantId: other.tenantId,
    prefixes,
    canonical,
    canonicalQuery,
  };
  setupSeconds = (performance.now() - setupStarted) / 1000;
}, 60_000);

afterAll(() => rawAgent().destroy());

describe('the fuzz harness', () => {
  it('the OpenAPI document and the route table list the same operations', () => {
    expect(ops.map((o) => o.key).sort()).toEqual(routes.map((r) => routeKeyOf(r)).sort());
  });

  it('negative control: the property checker fails a 5xx, a non-problem 4xx, a wrong status and an accepted fault', () => {
    const problem = (status: number, body: Record<string, unknown>) => ({
      status,
      contentType: 'application/problem+json',
      text: JSON.stringify(body),
    });
    const good = problem(404, { type: 'https://x/not-found', title: 'Not Found', status: 404 });
    expect(exchangeViolations(good, { mustReject: true, expectStatus: 404 })).toEqual([]);
    expect(
      exchangeViolations({ status: 500, contentType: 'application/json', text: '{}' }, { mustReject: false }),
    ).toEqual(['server error 500']);
    expect(
      exchangeViolations(
        { status: 400, contentType: 'application/json', text: '{"message":"Bad"}' },
        { mustReject: true },
      ),
    ).toEqual([
      '400 is not application/problem+json (content-type "application/json")',
      '400 problem has no "type"',
      '400 problem has no "title"',
      'problem "status" undefined ≠ HTTP status 400',
    ]);
    expect(
      exchangeViolations(problem(400, { type: 't', title: 'Bad', status: 404 }), { mustReject: true }),
    ).toEqual(['problem "status" 404 ≠ HTTP status 400']);
    expect(
      exchangeViolations({ status: 201, contentType: 'application/json', text: '{}' }, { mustReject: true }),
    ).toEqual(['accepted (201) a request it must refuse']);
    expect(
      exchangeViolations(problem(403, { type: 't', title: 'Forbidden', status: 403 }), {
        mustReject: true,
        expectStatus: 404,
      }),
    ).toEqual(['expected 404, got 403']);
    expect(
      exchangeViolations(
        { status: 200, contentType: 'application/json', text: '{"gridId":"g_SECRET0000"}' },
        {
          mustReject: false,
          secrets: new Map([['g_SECRET0000', 'other gridId']]),
        },
      ),
    ).toEqual(['leak: other gridId (g_SECRET0000)']);
    // A throttled answer is acceptable (if it is a problem).
    expect(
      exchangeViolations(problem(429, { type: 't', title: 'Too Many Requests', status: 429 }), {
        mustReject: false,
        expectStatus: 404,
      }),
    ).toEqual([]);
    // The snapshot comparison sees a change.
    expect(
      diffSnapshots(
        new Map([['GET /v1/people', '200 {"items":[]}']]),
        new Map([['GET /v1/people', '200 {"items":[1]}']]),
      ),
    ).toHaveLength(1);
  });

  it('the forced fault makes every sampled write refusable', () => {
    const sample = fc.sample(requestArb(ctx), { seed: SEED + 1, numRuns: 150 });
    for (const c of sample) {
      const p = plan(c, ctx);
      if (p.request.method !== 'GET')
        expect(p.mustReject, `${p.request.method} ${p.request.target}`).toBe(true);
    }
  });
});

describe(`fuzz: ${REQUESTS} seeded requests over every operation`, () => {
  it('no 5xx, every 4xx a problem, faults refused, foreign ids 404, nothing leaked, nothing written', async () => {
    const ownTenants = async () => {
      const [f, o] = await Promise.all([
        snapshotTenant(fuzzing, today, { ignoreReadsBy: fuzzing.adminKeyId }),
        snapshotTenant(other, today),
      ]);
      return { fuzzing: f, other: o };
    };
    // The statistics have caught up with the seeded writes before the first snapshot.
    await Promise.all([statisticsCaughtUp(fuzzing, today), statisticsCaughtUp(other, today)]);
    const testStarted = performance.now();
    const before = await ownTenants();
    const sampleStarted = performance.now();

    const sampled = fc.sample(requestArb(ctx), { seed: SEED, numRuns: Math.ceil(REQUESTS * 1.2) });
    // Never put anything the personal-data scan of the log would flag into a path (the log prints paths).
    const planned = sampled
      .map((c) => plan(c, ctx))
      .filter((p) => !carriesPersonalData(p.request.target))
      .slice(0, REQUESTS);
    expect(planned).toHaveLength(REQUESTS);

    const sampleSeconds = (performance.now() - sampleStarted) / 1000;
    const pacer = new Pacer(RATE, BURST);
    const started = performance.now();
    const results = await runPool(planned, CONCURRENCY, async (p) => {
      await pacer.take();
      let res: RawResponse;
      try {
        res = await sendRaw(p.request);
      } catch (error) {
        res = { status: 0, contentType: '', text: `transport error: ${(error as Error).message}`, ms: 0 };
      }
      const sent = `${p.request.target}\n${JSON.stringify(p.request.headers)}\n${p.request.body ?? ''}`;
      return {
        p,
        res,
        violations: exchangeViolations(res, {
          mustReject: p.mustReject,
          ...(p.expectStatus !== undefined ? { expectStatus: p.expectStatus } : {}),
          secrets: other.secrets,
          sent,
        }),
      };
    });
    const fuzzSeconds = (performance.now() - started) / 1000;

    // Let any stray write reach the statistics (batching window 1 s, polled every 200 ms) before reading again.
    await new Promise((r) => setTimeout(r, 1_200));
    const after = await ownTenants();
    const testSeconds = (performance.now() - testStarted) / 1000;

    // ---- report
    const byStatus = new Map<number, number>();
    const byOp = new Map<string, number>();
    const byFault = new Map<string, number>();
    for (const { p, res } of results) {
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      byOp.set(p.c.op.key, (byOp.get(p.c.op.key) ?? 0) + 1);
      for (const f of p.faults) {
        const k = f
          .split(':')
          .slice(0, f.startsWith('path') ? 1 : 2)
          .join(':')
          .replace(/\/.*/, '');
        byFault.set(k, (byFault.get(k) ?? 0) + 1);
      }
    }
    const latencies = results.map((r) => r.res.ms).sort((a, b) => a - b);
    const pct = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]?.toFixed(0);
    const throttled = byStatus.get(429) ?? 0;
    console.log(
      [
        `fuzz: ${results.length} requests in ${fuzzSeconds.toFixed(1)} s (${(results.length / fuzzSeconds).toFixed(1)}/s, ${CONCURRENCY} in flight, paced at ${RATE}/s burst ${BURST}; seed ${SEED})`,
        `  time: setup ${setupSeconds.toFixed(1)} s, sampling+planning ${sampleSeconds.toFixed(1)} s, fuzz ${fuzzSeconds.toFixed(1)} s, whole test ${testSeconds.toFixed(1)} s (+ setup = ${(testSeconds + setupSeconds).toFixed(1)} s)`,
        `  latency p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms; throttled (429): ${throttled}`,
        `  statuses: ${[...byStatus]
          .sort((a, b) => a[0] - b[0])
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}`,
        `  refusable: ${results.filter((r) => r.p.mustReject).length}, exact-404 expectations: ${results.filter((r) => r.p.expectStatus === 404).length}`,
        `  faults: ${[...byFault]
          .sort((a, b) => b[1] - a[1])
          .map(([f, n]) => `${f}×${n}`)
          .join(' ')}`,
        `  per operation: ${[...byOp].map(([k, n]) => `${k}×${n}`).join(', ')}`,
      ].join('\n'),
    );

    // Failures name the request's index in the seeded sequence (seed ${SEED}); keys are redacted.
    const redact = (text: string) => text.replaceAll(ctx.adminKey, 'trk_<fuzzing admin key>');
    const failures = results
      .map((r, i) => ({ ...r, i }))
      .filter((r) => r.violations.length > 0)
      .map(({ p, res, violations, i }) =>
        redact(
          `#${i}: ${violations.join('; ')}\n    ${p.request.method} ${p.request.target.slice(0, 200)} [${p.c.profile}; faults ${p.faults.join(',') || 'none'}]` +
            `\n    headers ${JSON.stringify(p.request.headers).slice(0, 200)}\n    body ${(p.request.body ?? '(none)').slice(0, 200)}` +
            `\n    → ${res.status} ${res.contentType} ${res.text.slice(0, 300)}`,
        ),
      );
    expect.soft(failures.slice(0, 25), `${failures.length} exchanges broke a property`).toEqual([]);
    expect
      .soft(throttled, 'pacing keeps the throttle out of the picture')
      .toBeLessThanOrEqual(REQUESTS / 100);
    for (const op of ops)
      expect.soft(byOp.get(op.key) ?? 0, op.key).toBeGreaterThanOrEqual(REQUESTS / ops.length / 2);
    expect.soft(diffSnapshots(before.fuzzing, after.fuzzing), 'the fuzzing tenant is unchanged').toEqual([]);
    expect.soft(diffSnapshots(before.other, after.other), 'the other tenant is unchanged').toEqual([]);
    expect(before.fuzzing.size).toBeGreaterThan(10);
  }, 120_000);
});
