import { makeIdNumber } from '../../shared/domain/id-number.js';

let sequence = 0;
const regions = ['110101', '310104', '440305', '510107', '330106', '420102'];

/** A valid ID number for a person of this sex born on this day (unique within a test run). */
export function idNumberFor(sex: 'female' | 'male', birthDate: string): string {
  sequence++;
  const region = regions[Math.floor(sequence / 400) % regions.length] as string;
  const base = (sequence % 400) * 2 + 1; // odd
  return makeIdNumber({ region, birthDate, sequence: sex === 'male' ? base : base + 1 });
}

/** Deterministic-but-unique ID numbers for benchmarks and seeds. */
export function idNumberAt(
  i: number,
  sex: 'female' | 'male' = i % 2 ? 'male' : 'female',
  birthDate = '1990-05-17',
): string {
  const region = String(110101 + Math.floor(i / 499)).padStart(6, '1');
  const seq = (i % 499) * 2 + 1;
  return makeIdNumber({ region, birthDate, sequence: sex === 'male' ? seq : seq + 1 });
}
