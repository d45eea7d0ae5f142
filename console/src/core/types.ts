/** The API's resources as the console reads them (GET /v1/openapi.json has the schemas). */
export type Role = 'admin' | 'office' | 'grid' | 'viewer';
export const roles: readonly Role[] = ['admin', 'office', 'grid', 'viewer'];

export interface Settings {
  staleAfterDays: number;
  verificationCycleDays: number;
  timeZone: string;
  maxKeyAgeDays: number | null;
}

export interface Me {
  tenantId: string;
  townshipName: string;
  keyId: string;
  keyName: string;
  role: Role;
  gridIds: string[] | null;
  settings: Settings;
}

export interface Grid {
  gridId: string;
  name: string;
  community: string;
}

export type Flow = 'inflow' | 'outflow';
export type MaritalStatus = 'single' | 'married' | 'divorced' | 'widowed';
export type PersonStatus = 'active' | 'departed' | 'closed';
export type Outcome = 'present' | 'absent' | 'moved';
export type DepartureReason = 'left' | 'returned-home' | 'transferred' | 'deceased' | 'duplicate';
export const flows: readonly Flow[] = ['inflow', 'outflow'];
export const maritalStatuses: readonly MaritalStatus[] = ['single', 'married', 'divorced', 'widowed'];
export const personStatuses: readonly PersonStatus[] = ['active', 'departed', 'closed'];
export const outcomes: readonly Outcome[] = ['present', 'absent', 'moved'];
export const departureReasons: readonly DepartureReason[] = [
  'left',
  'returned-home',
  'transferred',
  'deceased',
  'duplicate',
];

export interface Person {
  personId: string;
  cardNumber: string;
  idNumber: string;
  name: string;
  sex: 'female' | 'male';
  birthDate: string;
  flow: Flow;
  gridId: string;
  /** The house the person lives in (docs/housing.md, "Occupancy"), if named. */
  houseId: string | null;
  address: string;
  arrivedOn: string;
  lastVerifiedOn: string | null;
  maritalStatus: MaritalStatus;
  phone: string | null;
  occupation: string | null;
  employer: string | null;
  originRegion: string | null;
  status: PersonStatus;
  departedOn: string | null;
  departureReason: DepartureReason | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface HistoryEntry {
  at: string;
  action: string;
  actor: { keyId: string; name: string };
  changedFields: string[];
  verifiedOn?: string;
  outcome?: Outcome;
}

export interface Counters {
  floatingPopulation: number;
  inflow: number;
  outflow: number;
  inflowWomenOfChildbearingAge: number;
  outflowWomenOfChildbearingAge: number;
  inflowMarriedWomenOfChildbearingAge: number;
  outflowMarriedWomenOfChildbearingAge: number;
  verificationDue: number;
}

export interface Stats {
  asOf: string;
  totals: Counters;
  grids: (Counters & Grid)[];
}

export interface MonthRow {
  month: string;
  registered: number;
  departed: number;
  closedStale: number;
  verified: number;
  writeOffRate: number | null;
}

export interface ApiKey {
  keyId: string;
  name: string;
  role: Role;
  gridIds: string[] | null;
  createdAt: string;
  revokedAt: string | null;
  expiresAt: string | null;
  rotatedFrom: string | null;
  lastUsedOn: string | null;
}

export interface IssuedKey extends Omit<ApiKey, 'revokedAt' | 'lastUsedOn'> {
  apiKey: string;
}

export interface Tenant {
  tenantId: string;
  townshipName: string;
  settings: Settings;
}

export interface ReconciliationRun {
  runId: string;
  startedAt: string;
  finishedAt: string | null;
  recordsRead: number;
  countersChecked: number;
  driftFound: number;
  driftRepaired: number;
  gridsChecked: number;
  gridsSkipped: number;
  malformedRecords: number;
}
