/** One call's slot in a window: its id, when it was reserved and the tokens it counts. */
export interface Reservation {
  readonly id: string;
  readonly at: number;
  tokens: number;
}

/** Kept slots beyond which the array drops its pruned front (when that front is most of it). */
const compactAfter = 1_024;

/**
 * The reservations of one window key (a route's, or a tenant's or key's RPM/TPM window) within a
 * sliding window, oldest first, with their count and token sum kept as they change. Pruning drops
 * from the front, a lookup by id is a map read, so each operation costs the same however many calls
 * the window holds (a filter and a sum over every reservation of the last minute made each state
 * read grow with the traffic).
 */
export class SlidingWindow {
  private slots: Reservation[] = [];
  /** Index of the oldest slot still in the window. */
  private start = 0;
  private readonly byId = new Map<string, Reservation>();
  private tokenSum = 0;

  constructor(private readonly lengthMs: number) {}

  /** Drops the reservations made `lengthMs` or longer before `now`. */
  prune(now: number): void {
    const cutoff = now - this.lengthMs;
    while (this.start < this.slots.length && this.slots[this.start]!.at <= cutoff) {
      const expired = this.slots[this.start++]!;
      this.byId.delete(expired.id);
      this.tokenSum -= expired.tokens;
    }
    if (this.start > compactAfter && this.start * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.start);
      this.start = 0;
    }
  }

  get count(): number {
    return this.slots.length - this.start;
  }

  get tokens(): number {
    return this.tokenSum;
  }

  /** When the oldest reservation in the window was made, if there is one. */
  get oldestAt(): number | undefined {
    return this.slots[this.start]?.at;
  }

  /** Adds a reservation, keeping the slots in time order (a caller's clock may lag another's). */
  add(reservation: Reservation): void {
    let index = this.slots.length;
    while (index > this.start && this.slots[index - 1]!.at > reservation.at) index--;
    this.slots.splice(index, 0, reservation);
    this.byId.set(reservation.id, reservation);
    this.tokenSum += reservation.tokens;
  }

  /** Sets the tokens a reservation counts, if it is still in the window. */
  setTokens(id: string | undefined, tokens: number): void {
    const reservation = id === undefined ? undefined : this.byId.get(id);
    if (!reservation) return;
    this.tokenSum += tokens - reservation.tokens;
    reservation.tokens = tokens;
  }
}
