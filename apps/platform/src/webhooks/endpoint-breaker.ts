/**
 * A circuit breaker per webhook endpoint (issue 9.3), in each instance's memory: after `threshold`
 * failed attempts in a row the endpoint is *open* — its events are not claimed — for a pause that
 * doubles with each reopening (30 s … 15 min). When the pause is over one attempt probes it
 * (half-open): a success closes the breaker, a failure opens it again for longer. Other endpoints
 * are never affected. Per instance on purpose: a breaker is an optimisation, the outbox row's own
 * backoff is the contract, and an instance that has not seen the failures simply probes once.
 */
export interface EndpointBreakers {
  /** Whether an attempt to `endpoint` may start now (closed, or half-open for one probe). */
  allows(endpoint: string): boolean;
  /** Endpoints that are open now (their events are left for later). */
  openEndpoints(): string[];
  success(endpoint: string): void;
  failure(endpoint: string): void;
  state(endpoint: string): 'closed' | 'open' | 'half-open';
}

export function createEndpointBreakers(options: {
  now: () => number;
  threshold?: number;
  basePauseMs?: number;
  maxPauseMs?: number;
}): EndpointBreakers {
  const threshold = options.threshold ?? 5;
  const base = options.basePauseMs ?? 30_000;
  const max = options.maxPauseMs ?? 15 * 60_000;
  const entries = new Map<string, { failures: number; opens: number; openUntil: number; probing: boolean }>();
  const entry = (endpoint: string) => {
    let e = entries.get(endpoint);
    if (!e) {
      e = { failures: 0, opens: 0, openUntil: 0, probing: false };
      entries.set(endpoint, e);
    }
    return e;
  };
  const state = (endpoint: string) => {
    const e = entries.get(endpoint);
    if (!e || e.openUntil === 0) return 'closed' as const;
    return options.now() < e.openUntil ? ('open' as const) : ('half-open' as const);
  };
  return {
    state,
    allows(endpoint) {
      const s = state(endpoint);
      if (s === 'closed') return true;
      if (s === 'open') return false;
      const e = entry(endpoint);
      if (e.probing) return false;
      e.probing = true;
      return true;
    },
    openEndpoints() {
      return [...entries.keys()].filter((k) => {
        const s = state(k);
        return s === 'open' || (s === 'half-open' && entries.get(k)?.probing === true);
      });
    },
    success(endpoint) {
      entries.delete(endpoint);
    },
    failure(endpoint) {
      const e = entry(endpoint);
      e.probing = false;
      e.failures++;
      if (e.openUntil !== 0 || e.failures >= threshold) {
        e.opens++;
        e.openUntil = options.now() + Math.min(max, base * 2 ** (e.opens - 1));
      }
    },
  };
}
