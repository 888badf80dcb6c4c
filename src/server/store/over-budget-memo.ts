/**
 * Queries refused for their cost, remembered for a while: the same query
 * (same SQL, same parameters, so the same client) is refused again at
 * once instead of costing its budget again. A client looping one heavy
 * query then costs the others its first run only.
 */
export class OverBudgetMemo {
  private readonly refused = new Map<string, { reason: string; until: number }>();

  constructor(
    private readonly ttlMs = 5000,
    private readonly capacity = 1000,
  ) {}

  recall(key: string): string | undefined {
    const entry = this.refused.get(key);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.reason;
    this.refused.delete(key);
    return undefined;
  }

  remember(key: string, reason: string): void {
    if (this.refused.size >= this.capacity) this.refused.delete(this.refused.keys().next().value!);
    this.refused.set(key, { reason, until: Date.now() + this.ttlMs });
  }
}
