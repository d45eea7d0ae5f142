import { makeIdNumber } from '../../shared/modules/people/rules/id-number.js';
import { addDays, addYears } from '../../shared/platform/dates.js';

let sequence = 0;
const regions = ['110101', '310104', '440305', '510107', '330106', '420102'];

/** A valid ID number for a person of this sex born on this day (unique within this process). */
export function idNumberFor(sex: 'female' | 'male', birthDate: string): string {
  sequence++;
  const region = regions[Math.floor(sequence / 400) % regions.length] as string;
  const base = (sequence % 400) * 2 + 1; // odd
  return makeIdNumber({ region, birthDate, sequence: sex === 'male' ? base : base + 1 });
}

/**
 * The community of the seed report: 303 people — 299 inflow, 4 outflow; 127 inflow women of
 * childbearing age (15–49), 107 of them married; 2 married outflow women of childbearing age.
 * Ages are taken relative to `today` so the numbers hold on any day.
 */
export function seedCommunity(today: string, gridIds: readonly string[]): Record<string, unknown>[] {
  const people: Record<string, unknown>[] = [];
  let i = 0;
  const add = (flow: 'inflow' | 'outflow', sex: 'female' | 'male', age: number, married: boolean) => {
    // born `age` years and a few days before today: safely inside that age
    const birthDate = addDays(addYears(today, -age), -(1 + (i % 200)));
    people.push({
      idNumber: idNumberFor(sex, birthDate),
      name: `Resident ${i}`,
      flow,
      gridId: gridIds[i % gridIds.length],
      address: `Building ${1 + (i % 12)}, Room ${100 + i}`,
      arrivedOn: addDays(today, -(10 + (i % 60))),
      maritalStatus: married ? 'married' : 'single',
    });
    i++;
  };
  for (let k = 0; k < 107; k++) add('inflow', 'female', 20 + (k % 29), true); // 20–48
  for (let k = 0; k < 20; k++) add('inflow', 'female', 15 + (k % 35), false); // 15–49
  for (let k = 0; k < 10; k++) add('inflow', 'female', 50 + k, true); // past childbearing age
  for (let k = 0; k < 4; k++) add('inflow', 'female', 10 + k, false); // children
  for (let k = 0; k < 158; k++) add('inflow', 'male', 18 + (k % 45), k % 3 === 0);
  add('outflow', 'female', 30, true);
  add('outflow', 'female', 44, true);
  add('outflow', 'female', 55, true);
  add('outflow', 'male', 35, false);
  return people;
}

export const seedNumbers = {
  floatingPopulation: 303,
  inflow: 299,
  outflow: 4,
  inflowWomenOfChildbearingAge: 127,
  inflowMarriedWomenOfChildbearingAge: 107,
  outflowWomenOfChildbearingAge: 2,
  outflowMarriedWomenOfChildbearingAge: 2,
  verificationDue: 0,
};

// ---------------------------------------------------------------------------------------------
// Housing (docs/housing.md): the seed district's rental houses, landlords, letters and occupancy

/**
 * A valid ID number for the `n`th landlord — the same construction as `idNumberFor`, pure (no
 * process-wide sequence), in regions the seed's people never use, so no landlord shares a
 * person's number.
 */
export function landlordIdNumber(n: number, sex: 'female' | 'male', birthDate: string): string {
  const region = landlordRegions[Math.floor(n / 400) % landlordRegions.length] as string;
  const base = (n % 400) * 2 + 1; // odd
  return makeIdNumber({ region, birthDate, sequence: sex === 'male' ? base : base + 1 });
}
const landlordRegions = ['320106', '350102', '370102'];

/** The 31 characters of a unified social credit code, in value order (GB 32100-2015). */
const creditCharset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const creditWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * A valid unified social credit code (GB 32100-2015) for the `n`th organisation: `91` (an
 * enterprise), the division `330106`, nine characters with letters in them (so it never looks
 * like a resident ID number to the personal-data scan), and the check character
 * 31 − (Σ value × weight mod 31). Written here independently of the server's validator.
 */
export function creditCodeFor(n: number): string {
  let tail = '';
  for (let v = n, i = 0; i < 6; i++, v = Math.floor(v / 31)) tail = creditCharset[v % 31] + tail;
  const first17 = `91330106MA2${tail}`;
  let sum = 0;
  for (let i = 0; i < 17; i++)
    sum += creditCharset.indexOf(first17[i] as string) * (creditWeights[i] as number);
  return first17 + creditCharset[(31 - (sum % 31)) % 31];
}

/** The seed district's counts (docs/housing.md: "rental rate 83 %" = 382 ÷ (382 + 78)). */
const REGISTERED = 382;
const BANNED = 211;
const DISCOVERED = 78;
const LETTERS = 2_316;
const INDIVIDUAL_LANDLORDS = 120;
const ORGANISATION_LANDLORDS = 12;
const LANDLORDS = INDIVIDUAL_LANDLORDS + ORGANISATION_LANDLORDS;
/** The seed's grids: houses and people alternate over exactly three (person i lives in grid i mod 3). */
const GRIDS = 3;
/**
 * Letters are signed at most this many days ago: always inside the 12 calendar months that
 * end with today's (the shortest 11 whole months before the current one span 334 days).
 */
const LETTER_WINDOW_DAYS = 334;
/** Days a short (six-month) letter is valid, counted in days so every figure is the same on any day. */
const SHORT_LETTER_DAYS = 182;

const letterKinds = [
  'security-responsibility',
  'fire-safety-pledge',
  'guarantee',
  'family-planning-guarantee',
  'employer-agreement',
  'guarantee',
  'security-responsibility',
] as const;
const estates = [
  'Xinhua Village',
  'Qiaotou Estate',
  'Dongguan Lane',
  'Riverside Court',
  'Zhongxing Yard',
  'Nanyuan Group 3',
];
const houseTypes = [
  'suite',
  'bungalow',
  'whole-house',
  'dormitory',
  'suite',
  'basement',
  'site-shed',
] as const;
const lettingModes = ['whole', 'split-rooms', 'group'] as const;
const surnames = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', 'Huang', 'Zhou', 'Wu', 'Xu', 'Sun'];

type HouseRole = 'registered' | 'banned' | 'discovered';

interface HousePlan {
  role: HouseRole;
  /** Index into the grids. */
  grid: number;
  landlord: number | null;
  maxOccupants: number | null;
  /** registeredOn (registered, banned) or discoveredOn (discovered), in days before today. */
  sinceDaysAgo: number;
  bannedDaysAgo: number | null;
}

interface LetterPlan {
  house: number;
  kind: string;
  signedDaysAgo: number;
  /** validUntil: a year (minus a day) or two after signing, or SHORT_LETTER_DAYS days. */
  validity: '1y' | '2y' | 'short';
}

/** Which house each house index is: 0–381 registered, 382–592 banned, 593–670 discovered. */
const roleOf = (h: number): HouseRole =>
  h < REGISTERED ? 'registered' : h < REGISTERED + BANNED ? 'banned' : 'discovered';

/** The over-occupied houses (registered, room for two, three living there) — deliberately. */
const overOccupied = [0, 1, 2];

function housePlans(): HousePlan[] {
  return Array.from({ length: REGISTERED + BANNED + DISCOVERED }, (_, h) => {
    const role = roleOf(h);
    const maxOccupants = overOccupied.includes(h)
      ? 2
      : role === 'discovered' || h % 4 === 0
        ? null
        : role === 'banned'
          ? 2 + (h % 3)
          : 1 + (h % 5);
    return {
      role,
      grid: h % GRIDS,
      // A registered house has a landlord; a discovered one only sometimes (found by a door chief).
      landlord: role === 'discovered' && h % 3 !== 0 ? null : h % LANDLORDS,
      maxOccupants,
      sinceDaysAgo:
        role === 'registered'
          ? 30 + ((h * 37) % 700)
          : role === 'banned'
            ? 200 + ((h * 37) % 500)
            : 5 + ((h * 13) % 200),
      bannedDaysAgo: role === 'banned' ? (h * 11) % 180 : null,
    };
  });
}

function letterPlans(houses: readonly HousePlan[]): LetterPlan[] {
  return Array.from({ length: LETTERS }, (_, j) => {
    const house = j % REGISTERED;
    const round = Math.floor(j / REGISTERED);
    const kind = letterKinds[round] as string;
    // Spread over the window (a permutation of the letters, so kinds and days do not line up),
    // never before the house was registered.
    const spread = Math.floor((((j * 7_919) % LETTERS) * (LETTER_WINDOW_DAYS + 1)) / LETTERS);
    const registeredDaysAgo = (houses[house] as HousePlan).sinceDaysAgo;
    const signedDaysAgo = spread <= registeredDaysAgo ? spread : spread % (registeredDaysAgo + 1);
    const validity: LetterPlan['validity'] =
      round === 0 ? (house % 20 === 7 ? 'short' : '1y') : j % 10 === 3 ? 'short' : j % 10 === 7 ? '2y' : '1y';
    return { house, kind, signedDaysAgo, validity };
  });
}

/**
 * Who lives where: every second inflow person of `seedCommunity` (persons 0–298 are inflow;
 * person p is in grid p mod 3), in a house of their grid — three to each over-occupied house,
 * one to each of six registered-then-banned houses (the banned-house worklist) and six
 * discovered ones, then two to a registered house (one where only one is allowed).
 */
function occupancyPlan(houses: readonly HousePlan[]): Map<number, number> {
  const byGrid = Array.from({ length: GRIDS }, (_, g) =>
    Array.from({ length: 299 }, (_, p) => p).filter((p) => p % 2 === 0 && p % GRIDS === g),
  );
  const slots: number[] = [];
  for (const h of overOccupied) slots.push(h, h, h);
  for (let h = REGISTERED; h < REGISTERED + 6; h++) slots.push(h);
  for (let h = REGISTERED + BANNED; h < REGISTERED + BANNED + 6; h++) slots.push(h);
  for (let h = overOccupied.length; h < REGISTERED; h++) {
    const room = Math.min(2, houses[h]?.maxOccupants ?? 2);
    for (let k = 0; k < room; k++) slots.push(h);
  }
  const livesIn = new Map<number, number>();
  for (const h of slots) {
    const person = byGrid[(houses[h] as HousePlan).grid]?.shift();
    if (person !== undefined) livesIn.set(person, h);
  }
  return livesIn;
}

const plannedHouses = housePlans();
const plannedLetters = letterPlans(plannedHouses);
const plannedOccupancy = occupancyPlan(plannedHouses);

/** The figures the plan gives on any day (validity in days: a year is at least 364 of them). */
function expectedFigures() {
  const occupants = new Map<number, number>();
  for (const h of plannedOccupancy.values()) occupants.set(h, (occupants.get(h) ?? 0) + 1);
  // validFrom = signedOn ≤ today; valid today iff validUntil ≥ today. A short letter's
  // validUntil is SHORT_LETTER_DAYS − 1 days after signing; a year's at least 364 days after,
  // more than the 334-day window, so those are valid whatever today is.
  const validToday = (l: LetterPlan) => l.validity !== 'short' || l.signedDaysAgo <= SHORT_LETTER_DAYS - 1;
  const secured = new Set(
    plannedLetters.filter((l) => l.kind === 'security-responsibility' && validToday(l)).map((l) => l.house),
  );
  let housesLet = 0;
  let housesOverOccupied = 0;
  let housesWithoutValidSecurityLetter = 0;
  plannedHouses.forEach((house, h) => {
    const n = occupants.get(h) ?? 0;
    if (house.role === 'registered') {
      if (n > 0) housesLet++;
      if (!secured.has(h)) housesWithoutValidSecurityLetter++;
    }
    if (house.role !== 'discovered' && house.maxOccupants !== null && n > house.maxOccupants)
      housesOverOccupied++;
  });
  return {
    housesRegistered: REGISTERED,
    housesDiscovered: DISCOVERED,
    housesBanned: BANNED,
    housesClosed: 0,
    housesLet,
    housesVacant: REGISTERED - housesLet,
    housesOverOccupied,
    housesWithoutValidSecurityLetter,
    lettersValid: plannedLetters.filter(validToday).length,
    registrationRate: REGISTERED / (REGISTERED + DISCOVERED),
    occupancyRate: housesLet / REGISTERED,
    /** From `GET /v1/stats/monthly`: `lettersSigned` summed over the 12 months ending with today's. */
    lettersSignedInLast12Months: LETTERS,
    /** People living in houses; of them, in banned houses (`GET /v1/houses/banned-occupied`: 6 houses). */
    peopleInHouses: plannedOccupancy.size,
    bannedHousesOccupied: new Set(
      [...plannedOccupancy.values()].filter((h) => plannedHouses[h]?.role === 'banned'),
    ).size,
  };
}

/**
 * The seed district's housing figures (the seed report's "rental rate 83 %" is the registration
 * rate: 382 ÷ (382 + 78) = 83.04 %; its 211 banned houses are illegal rentals, in neither term;
 * 2,316 letters signed in the last 12 months). The /v1/stats fields (`housesRegistered` …
 * `occupancyRate`) are exactly what GET /v1/stats shows once the seed is in, on any day.
 */
export const seedHousingNumbers = expectedFigures();

export type Body = Record<string, unknown>;

export interface SeedHousing {
  /** `POST /v1/landlords` bodies (120 individuals, 12 organisations). */
  landlords: Body[];
  /** `POST /v1/houses` bodies (batch items), given the landlords' ids in the order of `landlords`. */
  houses(landlordIds: readonly string[]): Body[];
  /** `seedCommunity`'s people with the houses they live in (`houseId`), given the houses' ids. */
  occupy(people: readonly Body[], houseIds: readonly string[]): Body[];
  /** `POST /v1/letters` bodies (batch items): each signed by its house's landlord. */
  letters(houseIds: readonly string[], landlordIds: readonly string[]): Body[];
  /** The bans, to send after the people moved in: `POST /v1/houses/{houseId}/ban` bodies. */
  bans(houseIds: readonly string[]): { houseId: string; body: Body }[];
}

/**
 * The seed district's housing, relative to `today` (deterministic: the same bodies for the same
 * day and grids): 132 landlords (120 individuals with valid ID numbers and mobile phones, 12
 * organisations with valid credit codes), 671 houses — 382 registered, 211 registered and then
 * banned (illegal rentals), 78 discovered — 2,316 letters signed within the last 12 months
 * (valid from signing for a year, two, or six months), and 150 of `seedCommunity`'s people
 * living in houses of their grid (three houses deliberately over-occupied; six banned houses
 * still lived in). Send them in this order: landlords, houses, people, letters, bans.
 */
export function seedHousing(today: string, gridIds: readonly string[]): SeedHousing {
  if (gridIds.length !== GRIDS) throw new Error(`the seed's housing needs exactly ${GRIDS} grids`);
  const daysAgo = (n: number) => addDays(today, -n);
  const idOf = (ids: readonly string[], i: number, what: string) => {
    const id = ids[i];
    if (id === undefined) throw new Error(`no id for ${what} ${i}`);
    return id;
  };
  const landlords: Body[] = Array.from({ length: LANDLORDS }, (_, i) => {
    const surname = surnames[i % surnames.length] as string;
    // a mobile, written as people write them: mostly plain, some with the country code and spaces
    const digits = `13${7 + (i % 3)}${String(10_000_000 + ((i * 7_919) % 90_000_000)).slice(-8)}`;
    const phone =
      i % 10 === 9 ? `+86 ${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}` : digits;
    if (i < INDIVIDUAL_LANDLORDS) {
      const birthDate = addDays(addYears(today, -(32 + (i % 36))), -(1 + ((i * 7) % 300)));
      return {
        kind: 'individual',
        name: `${surname} Landlord ${i + 1}`,
        idNumber: landlordIdNumber(i + 1, i % 2 === 0 ? 'male' : 'female', birthDate),
        phone,
        address: `${estates[i % estates.length]}, House ${1 + (i % 40)}`,
        ...(i % 4 === 0 ? { workplace: 'Qiaotou Textile' } : {}),
      };
    }
    const k = i - INDIVIDUAL_LANDLORDS;
    return {
      kind: 'organisation',
      name: `Qiaotou Property Services ${k + 1} Co., Ltd.`,
      creditCode: creditCodeFor(k + 1),
      legalRepresentative: `${surname} Director`,
      phone,
      address: `Industrial Park Road ${k + 1}`,
    };
  });
  return {
    landlords,
    houses(landlordIds) {
      return plannedHouses.map((p, h) => ({
        gridId: gridIds[p.grid],
        status: p.role === 'discovered' ? 'discovered' : 'registered',
        address: {
          estate: estates[h % estates.length],
          building: String(1 + (h % 24)),
          unit: String(1 + (h % 3)),
          room: String(101 + (h % 30)),
        },
        plaque: `XH-${String(h + 1).padStart(4, '0')}`,
        houseType: houseTypes[h % houseTypes.length],
        use: h % 9 === 0 ? 'shop' : 'dwelling',
        lettingMode: lettingModes[h % lettingModes.length],
        managementClass: ['A', 'B', 'C'][h % 3],
        area: 20 + (h % 90),
        monthlyRent: 600 + (h % 20) * 50,
        ...(p.maxOccupants !== null ? { maxOccupants: p.maxOccupants } : {}),
        ...(p.landlord !== null ? { landlordId: idOf(landlordIds, p.landlord, 'landlord') } : {}),
        ...(h % 7 === 0
          ? {
              caretaker: {
                name: `Caretaker ${h + 1}`,
                phone: `136${String(10_000_000 + h * 4_001).slice(-8)}`,
              },
            }
          : {}),
        ...(p.role === 'discovered'
          ? { discoveredOn: daysAgo(p.sinceDaysAgo) }
          : { registeredOn: daysAgo(p.sinceDaysAgo) }),
      }));
    },
    occupy(people, houseIds) {
      return people.map((person, p) => {
        const h = plannedOccupancy.get(p);
        return h === undefined ? person : { ...person, houseId: idOf(houseIds, h, 'house') };
      });
    },
    letters(houseIds, landlordIds) {
      return plannedLetters.map((l) => {
        const signedOn = daysAgo(l.signedDaysAgo);
        const validUntil =
          l.validity === 'short'
            ? addDays(signedOn, SHORT_LETTER_DAYS - 1)
            : addDays(addYears(signedOn, l.validity === '1y' ? 1 : 2), -1);
        const landlord = (plannedHouses[l.house] as HousePlan).landlord as number;
        return {
          kind: l.kind,
          party: { kind: 'landlord', landlordId: idOf(landlordIds, landlord, 'landlord') },
          houseId: idOf(houseIds, l.house, 'house'),
          signedOn,
          validFrom: signedOn,
          validUntil,
        };
      });
    },
    bans(houseIds) {
      return plannedHouses.flatMap((p, h) =>
        p.bannedDaysAgo === null
          ? []
          : [
              {
                houseId: idOf(houseIds, h, 'house'),
                body: {
                  reason: h % 2 === 0 ? 'Let without registration' : 'Fire safety hazard (illegal rental)',
                  basis: 'Township rental housing regulations, art. 12',
                  bannedOn: daysAgo(p.bannedDaysAgo),
                },
              },
            ],
      );
    },
  };
}

/** The 12 months ending with `today`'s (`YYYY-MM`), oldest first: the seed's "last 12 months". */
export function lastTwelveMonths(today: string): string[] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return Array.from({ length: 12 }, (_, k) => {
    const i = y * 12 + (m - 1) - 11 + k;
    return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
  });
}
