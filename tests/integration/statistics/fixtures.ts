import type { AttributeValue } from 'aws-lambda';
import { housingExactness } from '../housing/exactness-fixture.js';
import { peopleExactness } from '../people/exactness-fixture.js';
import type { world } from '../support/world.js';

type World = Awaited<ReturnType<typeof world>>;

/** What a module gives the statistics engine's exactness tests (one per counter plug-in). */
export interface ExactnessFixture {
  module: string;
  /** Write a realistic mix of the module's records (creations, changes, ends) in the world's 3 grids. */
  populate(w: World): Promise<void>;
  /** Write one more countable record in grid `gridIndex`. */
  writeOne(w: World, gridIndex: number): Promise<void>;
  /** A NewImage of the module's entity that its contributions cannot count (MalformedRecordError). */
  poisonImage: Record<string, AttributeValue>;
}

/** Every module with counters adds its fixture here; the suite fails for a plug-in without one. */
export const exactnessFixtures: readonly ExactnessFixture[] = [peopleExactness, housingExactness];
