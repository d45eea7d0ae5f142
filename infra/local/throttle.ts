import type { Throttle } from '../../shared/app/index.js';

/** A token bucket as API Gateway throttles: `rateLimit` tokens a second, at most `burstLimit` held. */
export class TokenBucket {
  private tokens: number;
  private lastRefill: number;

  constructor(
    private readonly throttle: Throttle,
    now = Date.now(),
  ) {
    this.tokens = throttle.burstLimit;
    this.lastRefill = now;
  }

  /** Take a token; false when none is left (the request is answered 429). */
  take(now = Date.now()): boolean {
    this.tokens = Math.min(
      this.throttle.burstLimit,
      this.tokens + ((now - this.lastRefill) / 1000) * this.throttle.rateLimit,
    );
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * The route settings of the stage: one bucket per throttled route key (THE map, `routeThrottles`
 * in shared/app, which the AWS stage's RouteSettings also come from); other routes pass.
 */
export class RouteThrottles {
  private readonly buckets: Map<string, TokenBucket>;

  constructor(throttles: Readonly<Record<string, Throttle>>) {
    this.buckets = new Map(Object.entries(throttles).map(([key, t]) => [key, new TokenBucket(t)]));
  }

  take(routeKey: string, now = Date.now()): boolean {
    return this.buckets.get(routeKey)?.take(now) ?? true;
  }
}
