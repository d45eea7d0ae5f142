import { readFileSync } from 'node:fs';
import { expect, inject, it } from 'vitest';
import { personalDataIn, scanForPersonalData } from './support/pii-scan.js';

/**
 * Runs last in the e2e project (see tests/e2e/sequencer.ts): after every other e2e file has
 * registered, updated, verified and written off people, neither the stack's log output (at
 * DEBUG) nor any key, index attribute or index projection holds a raw ID or phone number.
 */
it('the scanner recognises a raw ID number and phone number (so the scan can fail)', () => {
  expect(personalDataIn('person 11010519491231002X called from 13812345678')).toEqual([
    'ID number …002X',
    'phone …5678',
  ]);
  expect(personalDataIn('110105********002X 138****5678 1764403200000')).toEqual([]);
  expect(personalDataIn('{"apiKey":"trk_vmn90_yejvzzeCZ7KNP1xnf4BaQ8lstMX-egu65-w1w"}')).toEqual([
    'API key …-w1w',
  ]);
});

it('no raw ID number, phone number or API key in logs, keys, indexes or the idempotency table after the whole e2e run', async () => {
  const log = readFileSync(inject('logFile'), 'utf8');
  expect(log.length).toBeGreaterThan(0);
  const findings = await scanForPersonalData(`http://127.0.0.1:${inject('dynamoPort')}`, log);
  expect(findings).toEqual([]);
});
