import { expect, it } from 'vitest';
import { personalDataIn } from './support/pii-scan.js';

/**
 * The personal-data scan itself runs in the e2e global teardown (tests/e2e/global-setup.ts),
 * after every e2e file, over the stack's whole log output and every key, index attribute and
 * index projection. This is its negative control: the scanner does recognise what it looks for.
 */
it('the scanner recognises a raw ID number, phone number and API key (so the scan can fail)', () => {
  expect(personalDataIn('person 11010519491231002X called from 13812345678')).toEqual([
    'ID number …002X',
    'phone …5678',
  ]);
  expect(personalDataIn('110105********002X 138****5678 1764403200000')).toEqual([]);
  expect(personalDataIn('{"apiKey":"trk_vmn90_yejvzzeCZ7KNP1xnf4BaQ8lstMX-egu65-w1w"}')).toEqual([
    'API key …-w1w',
  ]);
});
