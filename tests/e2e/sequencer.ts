import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** e2e files run one after another, by name, so `zz-personal-data.test.ts` scans a complete run. */
export class ByNameSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}
