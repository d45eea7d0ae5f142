/** A token bucket: requests per second, and how many at once. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * THE route throttles, tighter than the stage's `apiThrottle`, by route key. On AWS they are the
 * HTTP API stage's RouteSettings (which replace the stage default for that route); on the local
 * host, a token bucket per route (infra/local/throttle.ts). Re-exported by shared/app/index.ts.
 */
export const routeThrottles: Readonly<Record<string, Throttle>> = {
  // Public, and it creates a township: a township signs up once; a script must not mint thousands.
  'POST /v1/signup': { rateLimit: 1, burstLimit: 5 },
};
