import type { Broker, Delivery, Topic } from './types.js';

/** The in-process broker of a single-node server. */
export class LocalBroker implements Broker {
  private readonly handlers = new Set<(deliveries: readonly Delivery[]) => void>();

  async publish(delivery: Delivery): Promise<void> {
    const one = [delivery];
    for (const handler of this.handlers) handler(one);
  }

  subscribe(handler: (deliveries: readonly Delivery[]) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  // One process holds every session: nothing to route, nothing to lose.
  follow(_topic: Topic): void {}

  unfollow(_topic: Topic): void {}

  async settled(): Promise<void> {}

  onGap(_handler: () => void): () => void {
    return () => {};
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
