/** Lambda event filtering for the local event source mapping. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue as LambdaAttributeValue } from 'aws-lambda';
import type { StreamSubscription } from '../../../shared/platform/module.js';

/** Lambda filter criteria on NewImage: some filter whose every attribute's S value is listed. */
export function matchesFilters(
  newImage: Readonly<Record<string, AttributeValue | LambdaAttributeValue>> | undefined,
  filters: StreamSubscription['filters'],
): boolean {
  if (filters.length === 0) return true;
  if (!newImage) return false;
  return filters.some((filter) =>
    Object.entries(filter).every(([attribute, values]) => {
      const s = (newImage[attribute] as { S?: unknown } | undefined)?.S;
      return typeof s === 'string' && values.includes(s);
    }),
  );
}
