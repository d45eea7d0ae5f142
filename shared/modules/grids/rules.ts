/** A grid (网格): the smallest management area, inside a community. */
export interface Grid {
  gridId: string;
  name: string;
  community: string;
  createdAt: string;
}

export const gridIdPrefix = 'g';
