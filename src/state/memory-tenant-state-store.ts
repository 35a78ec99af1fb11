import { randomUUID } from 'node:crypto';
import {
  billingMarkerTtlMs,
  cacheHitAuditEntries,
  cacheHitRetentionMs,
  noUsage,
  spendReservationTtlMs,
  usageFields,
  type CacheHitRecord,
  type InferenceBill,
  type SpendPeriod,
  type SpendStatus,
  type TenantStateStore,
  type UsageDelta,
  type UsageRow,
} from './tenant-state-store';

const minuteMs = 60_000;

interface Binding {
  routeKey: string;
  expiresAt: number;
}

interface PeriodSpend {
  committed: number;
  reservations: Map<string, { amount: number; at: number }>;
}

/** Tenant state in one process. Every method is synchronous inside, so each is atomic. */
export class MemoryTenantStateStore implements TenantStateStore {
  private readonly bindings = new Map<string, Binding>();
  private readonly spend = new Map<string, PeriodSpend>();
  private readonly usage = new Map<string, UsageRow>();
  /**
   * Inferences billed, in one set per minute in which their memory ends, oldest first: a marker
   * costs only its id (about 80 bytes), and whole minutes expire at once.
   */
  private readonly billed = new Map<number, Set<string>>();
  /** Each tenant's cache hits, oldest first. */
  private readonly cacheHits = new Map<string, CacheHitRecord[]>();

  constructor(
    private readonly clock: () => number = Date.now,
    /** How long a bill is remembered; shorter only in the memory soak, to tell markers from leaks. */
    private readonly billingMarkerTtl = billingMarkerTtlMs,
  ) {}

  async readBinding(sessionKey: string, ttlMs: number): Promise<string | undefined> {
    const binding = this.bindings.get(sessionKey);
    const now = this.clock();
    if (!binding || binding.expiresAt <= now) {
      this.bindings.delete(sessionKey);
      return undefined;
    }
    binding.expiresAt = now + ttlMs;
    return binding.routeKey;
  }

  async bindSession(sessionKey: string, routeKey: string, ttlMs: number): Promise<void> {
    this.bindings.set(sessionKey, { routeKey, expiresAt: this.clock() + ttlMs });
  }

  private period(key: string, now: number): PeriodSpend {
    let spend = this.spend.get(key);
    if (!spend) this.spend.set(key, (spend = { committed: 0, reservations: new Map() }));
    for (const [id, reservation] of spend.reservations)
      if (reservation.at <= now - spendReservationTtlMs) spend.reservations.delete(id);
    return spend;
  }

  private statusOf(period: SpendPeriod, now: number): SpendStatus {
    const spend = this.period(period.key, now);
    const reserved = [...spend.reservations.values()].reduce((sum, reservation) => sum + reservation.amount, 0);
    return { key: period.key, limit: period.limit, committed: spend.committed, reserved };
  }

  async readSpend(periods: SpendPeriod[], now: number): Promise<SpendStatus[]> {
    return periods.map((period) => this.statusOf(period, now));
  }

  async reserveSpend(
    periods: SpendPeriod[],
    amount: number,
    now: number,
    id: string = randomUUID(),
  ): Promise<string | undefined> {
    if (periods.length > 0 && this.period(periods[0]!.key, now).reservations.has(id)) return id;
    const fits = periods.every((period) => {
      const status = this.statusOf(period, now);
      return status.committed + status.reserved + amount <= period.limit;
    });
    if (!fits) return undefined;
    for (const period of periods) this.period(period.key, now).reservations.set(id, { amount, at: now });
    return id;
  }

  async settleSpend(
    periods: SpendPeriod[],
    reservationId: string | undefined,
    actual: number,
    now: number,
  ): Promise<void> {
    for (const period of periods) {
      const spend = this.period(period.key, now);
      if (reservationId) spend.reservations.delete(reservationId);
      spend.committed += actual;
    }
  }

  async addUsage(
    period: string,
    row: Pick<UsageRow, 'tenant' | 'model' | 'feature'>,
    delta: UsageDelta,
  ): Promise<void> {
    const key = JSON.stringify([period, row.tenant, row.model, row.feature]);
    const current = this.usage.get(key) ?? { ...row, ...noUsage() };
    for (const field of usageFields) current[field] += delta[field] ?? 0;
    this.usage.set(key, current);
  }

  async billInference({ inferenceId, spend, cost, usage }: InferenceBill, now: number): Promise<boolean> {
    // A marker lasts from its TTL to a minute longer.
    for (const [until] of this.billed) {
      if (until > now / minuteMs) break;
      this.billed.delete(until);
    }
    const first = ![...this.billed.values()].some((ids) => ids.has(inferenceId));
    if (first) {
      const until = Math.ceil((now + this.billingMarkerTtl) / minuteMs);
      let ids = this.billed.get(until);
      if (!ids) this.billed.set(until, (ids = new Set()));
      // A copy in one piece: the id arrives from the activity's info as a chain of short string
      // pieces, about 300 bytes of heap held for the marker's hour against 80 for the copy.
      ids.add(Buffer.from(inferenceId).toString());
    }
    if (spend) await this.settleSpend(spend.periods, spend.reservationId, first ? cost : 0, now);
    if (first && usage) await this.addUsage(usage.period, usage.row, usage.delta);
    return first;
  }

  async readUsage(period: string, tenant?: string): Promise<UsageRow[]> {
    return [...this.usage]
      .filter(
        ([key, row]) => (JSON.parse(key) as string[])[0] === period && (tenant === undefined || row.tenant === tenant),
      )
      .map(([, row]) => ({ ...row }));
  }

  /** A tenant's cache hits still within the retention, oldest first (the expired ones dropped). */
  private hitsOf(tenant: string): CacheHitRecord[] {
    const hits = this.cacheHits.get(tenant) ?? [];
    const cutoff = this.clock() - cacheHitRetentionMs;
    // Copied only when some expired: a hit is recorded in place.
    if (!hits.some((record) => record.at < cutoff)) return hits;
    const kept = hits.filter((record) => record.at >= cutoff);
    if (kept.length > 0) this.cacheHits.set(tenant, kept);
    else this.cacheHits.delete(tenant);
    return kept;
  }

  async recordCacheHit(record: CacheHitRecord): Promise<void> {
    const hits = this.hitsOf(record.tenant);
    hits.push(structuredClone(record));
    if (hits.length > cacheHitAuditEntries) hits.splice(0, hits.length - cacheHitAuditEntries);
    this.cacheHits.set(record.tenant, hits);
  }

  async readCacheHits(tenant: string, since = 0): Promise<CacheHitRecord[]> {
    return this.hitsOf(tenant)
      .filter((record) => record.at >= since)
      .reverse()
      .map((record) => structuredClone(record));
  }

  async readCacheHit(tenant: string, id: string): Promise<CacheHitRecord | undefined> {
    const found = this.hitsOf(tenant).find((record) => record.id === id);
    return found && structuredClone(found);
  }
}
