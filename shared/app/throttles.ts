/** A token bucket: requests per second, and how many at once. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export const routeThrottles: Readonly<Record<string, Throttle>> = {
  'POST /v1/signup': { rateLimit: 1, burstLimit: 5 },
};
