/**
 * The local event source mapping for DynamoDB streams. The implementation lives in `./stream/`
 * (poller.ts composes the parts); this module keeps the public API where importers expect it.
 */
export type { DeadLetter, DeadLetterRecord } from './stream/dead-letters.js';
export type { StreamHandler } from './stream/delivery.js';
export { matchesFilters } from './stream/filters.js';
export { StreamPoller, type StreamPollerOptions } from './stream/poller.js';
