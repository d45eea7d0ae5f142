import { makeIdNumber } from '../../shared/modules/people/rules/id-number.js';

export { idNumberFor } from '../../infra/local/seed-data.js';

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
