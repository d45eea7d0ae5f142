import { Agent, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { inject } from 'vitest';
import { z } from 'zod';
import { creditCodeFor } from '../../../infra/local/seed-data.js';
import { type RouteDefinition, routes } from '../../../shared/app/index.js';
import { maskIdNumber } from '../../../shared/modules/people/rules/id-number.js';
import { routeKeyOf } from '../../../shared/platform/http/route.js';
import { idNumberAt } from '../../support/people.js';
import { type ApiResponse, call, eventually } from './api.js';
import { personalDataIn } from './pii-scan.js';

/**
 * Shared machinery of the security tests (tests/e2e/security): raw HTTP exchanges, the
 * response property checker, client-side pacing under the stage throttle, a tenant snapshot
 * read through every GET route of the route table, a leak detector, and a generator of valid
 * example bodies/queries from a route's schemas. Everything is driven by the route table
 * (`routes`) and the OpenAPI document, so a new route is covered without editing the tests.
 */

// ---------------------------------------------------------------------------------------------
// Raw exchanges

export interface RawRequest {
  method: string;
  /** Path and query exactly as sent (already percent-encoded). */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
  ms: number;
}

let agent: Agent | undefined;
/** A keep-alive agent with `sockets` connections at most (the fuzz runs ~8 in flight). */
export function rawAgent(sockets = 8): Agent {
  agent ??= new Agent({ keepAlive: true, maxSockets: sockets });
  return agent;
}

/**
 * Send one request byte-for-byte (no URL normalisation, any method may carry a body, which
 * `fetch` does not allow) and read the whole answer.
 */
export function sendRaw(req: RawRequest, via: Agent = rawAgent()): Promise<RawResponse> {
  const base = new URL(inject('baseUrl'));
  const started = performance.now();
  return new Promise((resolveResponse, reject) => {
    const payload = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    const headers: Record<string, string> = { ...req.headers };
    if (payload) headers['content-length'] = String(payload.length);
    const r = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.target,
        headers,
        agent: via,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolveResponse({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(payload);
  });
}

// ---------------------------------------------------------------------------------------------
// The properties every answer must have

export interface Expectation {
  /** The request carries at least one fault the contract says must be refused (any 4xx). */
  mustReject: boolean;
  /** An exact status the contract prescribes (e.g. 404 for an unknown / another tenant's id). */
  expectStatus?: number;
  /** Values of the other tenant that must never appear in the answer unless the request sent them. */
  secrets?: ReadonlyMap<string, string>;
  /** The request's own text (path, query, headers, body): secrets it contains may be echoed. */
  sent?: string;
}

/** What is wrong with a problem+json answer (empty: a proper RFC 9457 body whose status matches). */
export function problemViolations(res: Pick<RawResponse, 'status' | 'contentType' | 'text'>): string[] {
  const out: string[] = [];
  if (!res.contentType.toLowerCase().startsWith('application/problem+json'))
    out.push(`${res.status} is not application/problem+json (content-type "${res.contentType}")`);
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    out.push(`${res.status} body is not JSON`);
    return out;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    out.push(`${res.status} body is not a JSON object`);
    return out;
  }
  const p = body as Record<string, unknown>;
  if (typeof p.type !== 'string' || p.type === '') out.push(`${res.status} problem has no "type"`);
  if (typeof p.title !== 'string' || p.title === '') out.push(`${res.status} problem has no "title"`);
  if (p.status !== res.status) out.push(`problem "status" ${String(p.status)} ≠ HTTP status ${res.status}`);
  return out;
}

/**
 * The fuzz properties of one exchange: never a 5xx; every 4xx is problem+json with `type`,
 * `title` and `status` = the HTTP status; a request with a refusable fault is refused; an
 * exact expected status is met (a throttling 429 is always acceptable); and no secret of the
 * other tenant appears unless the request itself carried it.
 */
export function exchangeViolations(
  res: Pick<RawResponse, 'status' | 'contentType' | 'text'>,
  expect: Expectation,
): string[] {
  const out: string[] = [];
  if (res.status >= 500 || res.status < 100) out.push(`server error ${res.status}`);
  if (res.status >= 400 && res.status < 500) out.push(...problemViolations(res));
  if (res.status !== 429) {
    if (expect.mustReject && res.status < 400) out.push(`accepted (${res.status}) a request it must refuse`);
    if (expect.expectStatus !== undefined && res.status !== expect.expectStatus)
      out.push(`expected ${expect.expectStatus}, got ${res.status}`);
  }
  if (res.status >= 200 && res.status < 300 && res.text !== '') {
    try {
      JSON.parse(res.text);
    } catch {
      out.push(`${res.status} body is not JSON`);
    }
  }
  if (expect.secrets) {
    for (const leak of leaksIn(res.text, expect.secrets, expect.sent ?? '')) out.push(`leak: ${leak}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Leaks

/**
 * Every secret of another tenant found in `text`, by its label — except values the caller sent
 * itself (`sent`), which an answer may legitimately echo ("no grid g_… in this township").
 */
export function leaksIn(text: string, secrets: ReadonlyMap<string, string>, sent = ''): string[] {
  const found: string[] = [];
  for (const [value, label] of secrets) {
    if (value.length < 6) continue;
    if (text.includes(value) && !sent.includes(value)) found.push(`${label} (${value.slice(0, 40)})`);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Pacing

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Client-side pacing below the stage throttle (GCRA: `rate` per second, `burst` at once).
 * Each `take()` reserves its slot synchronously, so any number of concurrent workers share it.
 */
export class Pacer {
  private tat = 0;
  private readonly interval: number;
  private readonly tolerance: number;
  constructor(rate: number, burst: number) {
    this.interval = 1000 / rate;
    this.tolerance = (burst - 1) * this.interval;
  }
  async take(): Promise<void> {
    const now = performance.now();
    const tat = Math.max(this.tat, now);
    const allowAt = tat - this.tolerance;
    this.tat = tat + this.interval;
    if (allowAt > now) await sleep(allowAt - now);
  }
}

/** Run `fn` over `items` with at most `concurrency` in flight, in order of the items. */
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------------------------
// Route table helpers

export type IdsByKind = Record<string, readonly string[]>;

/** The id kind a parameter or field names: `gridId`/`gridIds` → `grid`, `personId` → `person`. */
export const idKindOf = (name: string): string | undefined => /^([a-z][A-Za-z0-9]*?)Ids?$/.exec(name)?.[1];

export const pathParamsOf = (path: string): string[] =>
  [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

export const fillPath = (path: string, values: Record<string, string>): string =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));

export const isPublic = (r: RouteDefinition) => r.access === 'public';

export { routeKeyOf, routes };

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
};

/** The input JSON Schema of a zod schema, exactly as the OpenAPI document renders it. */
export const inputSchemaOf = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

const nonNullOption = (s: JsonSchema): JsonSchema => {
  const options = s.anyOf ?? s.oneOf;
  if (!options) return s;
  return options.find((o) => o.type !== 'null') ?? options[0] ?? {};
};

const samplesByPattern = new Map<string, string[]>();
/** Trimmed strings matching a pattern, sampled once per pattern and seed. */
function patternSamples(pattern: string, seed: number): string[] {
  const key = `${seed}\n${pattern}`;
  let samples = samplesByPattern.get(key);
  if (!samples) {
    samples = fc
      .sample(fc.stringMatching(new RegExp(pattern)), { seed, numRuns: 40 })
      .filter((s) => s.trim() === s);
    samplesByPattern.set(key, samples);
  }
  return samples;
}

/** Strings worth trying for a field whose exact format the JSON Schema cannot say (zod refinements). */
function stringCandidates(schema: JsonSchema, today: string, seed: number): string[] {
  const out: string[] = [];
  if (schema.format === 'email') out.push('fuzz.check@example.cn');
  if (schema.pattern) out.push(...patternSamples(schema.pattern, seed));
  out.push('Security check value', today, today.slice(0, 7), 'Asia/Shanghai', 'fuzz.check@example.cn');
  return out;
}

let exampleSerial = 0;
/**
 * Values tried first for a field whose valid values no schema can say: a letter's `kind` is any
 * lower-case dashed word to the schema, but only a built-in kind (or one the township added) to
 * the route; an ID number must pass its check character; a house's `plaque` and a person's ID
 * number are unique in the township, so each example names a new one.
 */
const fieldExamples: Readonly<Record<string, () => readonly string[]>> = {
  kind: () => ['security-responsibility'],
  plaque: () => [`Example plaque ${++exampleSerial}`],
  idNumber: () => [idNumberAt(60_000 + ++exampleSerial)],
};

/**
 * A valid example of a route's body or query for one tenant: required fields (or, if the
 * schema insists on more, optional ones one by one), enums' first value, ids of the tenant by
 * the field's name (`gridId` → its grid), and for free strings the first candidate the route's
 * own zod schema accepts. Throws when it cannot find one — then the route needs a human look.
 */
export function validExample(
  zodSchema: z.ZodType,
  ids: IdsByKind,
  today: string,
  label: string,
  options: { include?: readonly string[]; variant?: number } = {},
): unknown {
  const variant = options.variant ?? 0;
  const json = inputSchemaOf(zodSchema);
  const choice = new Map<string, number>();
  const extraOptional = new Map<string, number>();

  const build = (schema: JsonSchema, name: string, path: string): unknown => {
    const s = nonNullOption(schema);
    if (s.const !== undefined) return s.const;
    if (s.enum) return s.enum[((choice.get(path) ?? 0) + variant) % s.enum.length];
    const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
    if (type === 'object' || s.properties) {
      const props = s.properties ?? {};
      const required = s.required ?? [];
      const optional = Object.keys(props).filter((k) => !required.includes(k));
      const forced = path === '' ? optional.filter((k) => options.include?.includes(k)) : [];
      const rest = optional.filter((k) => !forced.includes(k));
      const keys = [...required, ...forced, ...rest.slice(0, extraOptional.get(path) ?? 0)];
      return Object.fromEntries(
        keys.map((k) => [k, build(props[k] ?? {}, k, path === '' ? k : `${path}.${k}`)]),
      );
    }
    if (type === 'array') {
      const n = Math.max(1, s.minItems ?? 1);
      const singular = name.endsWith('s') ? name.slice(0, -1) : name;
      return Array.from({ length: n }, (_, i) => build(s.items ?? {}, singular, `${path}.${i}`));
    }
    if (type === 'integer' || type === 'number') {
      const v = s.minimum ?? 1;
      return s.maximum !== undefined ? Math.min(v, s.maximum) : v;
    }
    if (type === 'boolean') return true;
    const kind = idKindOf(name);
    if (kind && ids[kind]?.[0]) return ids[kind][0];
    const candidates = [...(fieldExamples[name]?.() ?? []), ...stringCandidates(s, today, path.length + 7)];
    return candidates[Math.min(choice.get(path) ?? 0, candidates.length - 1)];
  };

  for (let attempt = 0; attempt < 60; attempt++) {
    const value = build(json, '', '');
    const parsed = zodSchema.safeParse(value);
    if (parsed.success) return value;
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') continue;
      // A refinement of the whole value ("name at least one field"): add one more optional field.
      if (issue.path.length === 0) extraOptional.set('', (extraOptional.get('') ?? 0) + 1);
      else {
        const path = issue.path.map(String).join('.');
        choice.set(path, (choice.get(path) ?? 0) + 1);
      }
    }
  }
  throw new Error(
    `cannot build a valid example for ${label}: ${JSON.stringify(zodSchema.safeParse(build(json, '', '')).error?.issues)}`,
  );
}

export const queryString = (q: unknown): string =>
  q && typeof q === 'object' && Object.keys(q).length > 0
    ? `?${new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [k, String(v)])).toString()}`
    : '';

// ---------------------------------------------------------------------------------------------
// Tenants

export interface Tenant {
  tenantId: string;
  townshipName: string;
  adminKey: string;
  adminKeyId: string;
}

export async function signUpTenant(townshipName: string): Promise<Tenant> {
  const res = await call('POST', '/v1/signup', {
    body: { townshipName, adminName: `${townshipName} Admin`, adminEmail: 'security@example.cn' },
  });
  if (res.status !== 201) throw new Error(`signup ${res.status} ${res.text}`);
  return {
    tenantId: res.body.tenantId,
    townshipName,
    adminKey: res.body.apiKey,
    adminKeyId: res.body.keyId,
  };
}

/** Create something or fail loudly (setup only). */
export async function created(method: string, path: string, key: string, body: unknown) {
  const res = await call(method, path, { key, body });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`${method} ${path} ${res.status} ${res.text}`);
  return res.body;
}

/** The roles a snapshot reads with, least privileged first (a viewer's masked reads leave no access entry). */
const readingRoles = ['viewer', 'office', 'admin'] as const;

export interface SnapshotOptions {
  /**
   * The fuzzing tenant's own successful reads of raw data leave access entries (who saw whose
   * identity): entries of a GET route by this key are not counted as writes.
   */
  ignoreReadsBy?: string;
}

/**
 * What a tenant can see, read through every authenticated GET route of the route table (each
 * path parameter filled with each of the tenant's ids of its kind; a required query from its
 * valid example; every page), each with the least privileged of the tenant's keys the route
 * admits, with volatile fields (`asOf`, `requestId`) dropped. Equal snapshots: nothing written.
 */
/** The least privileged of a tenant's keys that may call a route (reads by it leave no access entry). */
export function readerKeyFor(route: RouteDefinition, t: Pick<SeededTenant, 'keys'>): string {
  const role = readingRoles.find((r) => (route.access as readonly string[]).includes(r));
  const key = role ? t.keys[role] : undefined;
  if (!key) throw new Error(`no key of a role that may call ${routeKeyOf(route)}`);
  return key;
}

export async function snapshotTenant(
  t: Pick<SeededTenant, 'keys' | 'ids'>,
  today: string,
  options: SnapshotOptions = {},
): Promise<Map<string, string>> {
  // Every key is used once first, so its "last used" day is already set in the first snapshot.
  for (const key of Object.values(t.keys)) await call('GET', '/v1/tenant', { key });
  const out = new Map<string, string>();
  for (const route of routes) {
    if (route.method !== 'GET' || isPublic(route)) continue;
    const key = readerKeyFor(route, t);
    const params = pathParamsOf(route.path);
    let combos: Record<string, string>[] = [{}];
    for (const p of params) {
      const kind = idKindOf(p);
      const values = kind ? t.ids[kind] : undefined;
      if (!values || values.length === 0)
        throw new Error(`snapshot: no ids of kind for {${p}} in ${route.path}`);
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [p]: v })));
    }
    const query = route.query
      ? (validExample(route.query, t.ids, today, routeKeyOf(route)) as Record<string, unknown>)
      : {};
    for (const combo of combos) {
      const path = fillPath(route.path, combo);
      // Every page, its items joined into one list (how they split into pages is not state).
      let first: ApiResponse | undefined;
      const items: unknown[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await call('GET', `${path}${queryString(cursor ? { ...query, cursor } : query)}`, {
          key,
        });
        first ??= res;
        const page = res.status === 200 && Array.isArray(res.body?.items) ? res.body : undefined;
        if (!page) break;
        items.push(...page.items);
        cursor = typeof page.nextCursor === 'string' && ++pages < 50 ? page.nextCursor : undefined;
      } while (cursor);
      const text =
        first && first.status === 200 && Array.isArray(first.body?.items)
          ? JSON.stringify({ ...first.body, items, nextCursor: null })
          : (first?.text ?? '');
      out.set(`GET ${path}${queryString(query)}`, `${first?.status} ${normalise(text, options)}`);
    }
  }
  return out;
}

function normalise(text: string, options: SnapshotOptions): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  const isIgnoredRead = (v: unknown) => {
    const entry = v as { route?: unknown; actor?: { keyId?: unknown } } | null;
    return (
      options.ignoreReadsBy !== undefined &&
      typeof entry?.route === 'string' &&
      entry.route.startsWith('GET ') &&
      entry.actor?.keyId === options.ignoreReadsBy
    );
  };
  return JSON.stringify(value, (k, v) => {
    if (k === 'asOf' || k === 'requestId') return undefined;
    if (Array.isArray(v)) return v.filter((x) => !isIgnoredRead(x));
    return v;
  });
}

export function diffSnapshots(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of before) {
    const w = after.get(k);
    if (w !== v)
      out.push(`${k}\n  before: ${v.slice(0, 300)}\n  after:  ${(w ?? '(missing)').slice(0, 300)}`);
  }
  for (const k of after.keys()) if (!before.has(k)) out.push(`${k}: new in the second snapshot`);
  return out;
}

/** Personal data (as the e2e teardown scan defines it) in a path or query: never sent, so never logged. */
export const carriesPersonalData = (text: string): boolean => {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // keep the raw text
  }
  return personalDataIn(text).length > 0 || personalDataIn(decoded).length > 0;
};

// ---------------------------------------------------------------------------------------------
// Seeded tenants

export interface SeededTenant extends Tenant {
  /** The tenant's ids by kind, as path parameters name them (`grid`, `person`, `key`, `house`, `landlord`, `letter`). */
  ids: Record<string, string[]>;
  /** The tenant's keys by role (admin, office, viewer); their ids are in `ids.key`. */
  keys: Record<string, string>;
  /** Every value of this tenant another tenant must never see, by label. */
  secrets: Map<string, string>;
}

/**
 * A tenant with two grids, its housing (`seedHousing` below: landlords, houses, a letter), three
 * people registered through POST /v1/people (two living in houses; the third then written off —
 * the last write), an office key besides the admin's — every value distinctive (`tag`), so a
 * leak of any of them into another tenant's answer is unambiguous.
 */
export async function seedTenant(
  label: string,
  idBase: number,
  tag: string,
  today: string,
): Promise<SeededTenant> {
  const t = await signUpTenant(`${label} Township ${tag}`);
  const secrets = new Map<string, string>([
    [t.tenantId, `${label} tenantId`],
    [t.townshipName, `${label} township name`],
    [t.adminKey, `${label} admin API key`],
    [t.adminKeyId, `${label} admin keyId`],
  ]);
  const grids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const g = await created('POST', '/v1/grids', t.adminKey, {
      name: `${label} Grid ${i} ${tag}`,
      community: `${label} Community ${i} ${tag}`,
    });
    grids.push(g.gridId);
    secrets.set(g.gridId, `${label} gridId`);
    secrets.set(g.name, `${label} grid name`);
    secrets.set(g.community, `${label} community`);
  }
  const housing = await seedHousing(t, label, idBase, tag, today, grids, secrets);
  const people: string[] = [];
  const arrivedOn = addDaysIso(today, -30);
  for (let i = 0; i < 3; i++) {
    const idNumber = idNumberAt(idBase + i);
    const phone = `139${String(10_000_000 + idBase + i).slice(-8)}`;
    const p = await created('POST', '/v1/people', t.adminKey, {
      idNumber,
      name: `${label} Person ${i} ${tag}`,
      flow: i % 2 === 0 ? 'inflow' : 'outflow',
      gridId: grids[i % 2],
      address: `${label} Road ${i} ${tag}`,
      arrivedOn,
      maritalStatus: 'married',
      phone,
      // the first lives in the registered house, the second in the one banned below
      ...(i < 2 ? { houseId: i === 0 ? housing.registered : housing.banned } : {}),
    });
    people.push(p.personId);
    secrets.set(p.personId, `${label} personId`);
    secrets.set(p.name, `${label} person name`);
    secrets.set(p.address, `${label} address`);
    secrets.set(idNumber, `${label} ID number`);
    secrets.set(maskIdNumber(idNumber), `${label} masked ID number`);
    secrets.set(phone, `${label} phone`);
  }
  await housing.afterPeople();
  await created('POST', `/v1/people/${people[2]}/departure`, t.adminKey, {
    departedOn: today,
    reason: 'left',
  });
  const keys: Record<string, string> = { admin: t.adminKey };
  const keyIds = [t.adminKeyId];
  for (const role of ['office', 'viewer']) {
    const k = await created('POST', '/v1/api-keys', t.adminKey, { name: `${label} ${role} ${tag}`, role });
    keys[role] = k.apiKey;
    keyIds.push(k.keyId);
    secrets.set(k.keyId, `${label} ${role} keyId`);
    secrets.set(k.apiKey, `${label} ${role} API key`);
    secrets.set(k.name, `${label} key name`);
  }
  return { ...t, ids: { grid: grids, person: people, key: keyIds, ...housing.ids }, keys, secrets };
}

/**
 * A seeded tenant's housing: an individual landlord (valid ID number, mobile phone) and an
 * organisation (valid credit code), three houses — registered in grid 0 (a caretaker with a
 * phone), discovered in grid 1, registered in grid 1 and banned once someone lives there (the
 * banned-house worklist) — and a letter for the registered house. Their ids are listed banned,
 * discovered, registered: the cross-tenant test reverses a kind's ids to pick one, and the
 * registered house is the one that takes letters and people.
 */
async function seedHousing(
  t: Tenant,
  label: string,
  idBase: number,
  tag: string,
  today: string,
  grids: string[],
  secrets: Map<string, string>,
) {
  const idNumber = idNumberAt(idBase + 50);
  const phone = `138${String(10_000_000 + idBase).slice(-8)}`;
  const individual = await created('POST', '/v1/landlords', t.adminKey, {
    kind: 'individual',
    name: `${label} Landlord ${tag}`,
    idNumber,
    phone,
    address: `${label} Landlord Road ${tag}`,
  });
  const organisation = await created('POST', '/v1/landlords', t.adminKey, {
    kind: 'organisation',
    name: `${label} Lettings Co ${tag}`,
    creditCode: creditCodeFor(idBase),
    legalRepresentative: `${label} Director ${tag}`,
    phone: `137${String(10_000_000 + idBase).slice(-8)}`,
    address: `${label} Industrial Road ${tag}`,
  });
  secrets.set(individual.landlordId, `${label} landlordId`);
  secrets.set(organisation.landlordId, `${label} landlordId`);
  secrets.set(individual.name, `${label} landlord name`);
  secrets.set(organisation.name, `${label} landlord name`);
  secrets.set(idNumber, `${label} landlord ID number`);
  secrets.set(maskIdNumber(idNumber), `${label} masked landlord ID number`);
  secrets.set(phone, `${label} landlord phone`);
  secrets.set(organisation.phone, `${label} landlord phone`);
  secrets.set(organisation.creditCode, `${label} credit code`);
  const caretakerPhone = `136${String(10_000_000 + idBase).slice(-8)}`;
  const house = async (i: number, body: Record<string, unknown>) => {
    const h = await created('POST', '/v1/houses', t.adminKey, {
      address: { estate: `${label} Estate ${i} ${tag}` },
      plaque: `${label}-P${i}-${tag}`,
      houseType: 'suite',
      use: 'dwelling',
      lettingMode: 'whole',
      managementClass: 'B',
      ...body,
    });
    secrets.set(h.houseId, `${label} houseId`);
    secrets.set(h.address.estate, `${label} house address`);
    secrets.set(h.plaque, `${label} plaque`);
    return h.houseId as string;
  };
  const registered = await house(0, {
    gridId: grids[0],
    status: 'registered',
    landlordId: individual.landlordId,
    maxOccupants: 2,
    caretaker: { name: `${label} Caretaker ${tag}`, phone: caretakerPhone },
  });
  secrets.set(`${label} Caretaker ${tag}`, `${label} caretaker name`);
  secrets.set(caretakerPhone, `${label} caretaker phone`);
  const discovered = await house(1, { gridId: grids[1], status: 'discovered' });
  const banned = await house(2, {
    gridId: grids[1],
    status: 'registered',
    landlordId: organisation.landlordId,
  });
  const ids: Record<string, string[]> = {
    house: [banned, discovered, registered],
    landlord: [individual.landlordId, organisation.landlordId],
  };
  return {
    registered,
    banned,
    ids,
    /** Once people live in the houses: the ban, and the letter. */
    async afterPeople() {
      await created('POST', `/v1/houses/${banned}/ban`, t.adminKey, {
        reason: `${label} ban reason ${tag}`,
        basis: 'Rental regulations art. 12',
        bannedOn: today,
      });
      secrets.set(`${label} ban reason ${tag}`, `${label} ban reason`);
      const letter = await created('POST', '/v1/letters', t.adminKey, {
        kind: 'security-responsibility',
        party: { kind: 'landlord', landlordId: individual.landlordId },
        houseId: registered,
        signedOn: today,
        validFrom: today,
        validUntil: addDaysIso(today, 364),
      });
      secrets.set(letter.letterId, `${label} letterId`);
      ids.letter = [letter.letterId];
    },
  };
}

const addDaysIso = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Wait until the statistics show a seeded tenant's last write (its departure, in this month's
 * `departed`): the stream applies a table's records in order, so everything seeded is counted
 * and a snapshot taken now stays put.
 */
export async function statisticsCaughtUp(t: SeededTenant, today: string): Promise<void> {
  const month = today.slice(0, 7);
  const res = await eventually(
    () => call('GET', `/v1/stats/monthly?from=${month}&to=${month}`, { key: t.adminKey }),
    (r) => r.body?.months?.[0]?.departed === 1,
    10_000,
  );
  if (res.body?.months?.[0]?.departed !== 1)
    throw new Error(`the statistics of ${t.townshipName} did not catch up: ${res.text}`);
}
