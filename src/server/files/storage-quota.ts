/**
 * A disk quota per app: the bytes of its stored files may not exceed
 * `bytesPerApp`. The usage is computed from the file store once (at start)
 * and kept up to date by the uploads of this process; files are never
 * deleted through the server, so it only grows. Uploads in flight reserve
 * the most they may still write, so concurrent uploads cannot overshoot.
 */
import type { FileStore } from './file-store.js';

export interface StorageReservation {
  /** The most this upload may write. */
  readonly bytes: number;
  /** Records what was stored (0 when the upload failed) and returns the rest of the reservation. */
  settle(stored: number): void;
}

export class StorageQuota {
  private usage: Promise<Map<string, number>> | undefined;
  private readonly reserved = new Map<string, number>();

  constructor(
    private readonly files: FileStore,
    readonly bytesPerApp: number,
  ) {}

  /** Starts counting what is stored; uploads wait for it. */
  load(): Promise<Map<string, number>> {
    // A failed count is retried by the next upload rather than kept.
    return (this.usage ??= this.files.usage().catch((error: unknown) => {
      this.usage = undefined;
      throw error;
    }));
  }

  /** Bytes the app's files take now. */
  async used(appId: string): Promise<number> {
    return (await this.load()).get(appId) ?? 0;
  }

  /** Room for an upload of at most `wanted` bytes, or undefined when the app has none left. */
  async reserve(appId: string, wanted: number): Promise<StorageReservation | undefined> {
    const usage = await this.load();
    const held = this.reserved.get(appId) ?? 0;
    const bytes = Math.min(wanted, this.bytesPerApp - (usage.get(appId) ?? 0) - held);
    // An empty file fits even a full quota; anything else needs room.
    if (bytes < 0 || (bytes === 0 && wanted > 0)) return undefined;
    this.reserved.set(appId, held + bytes);
    let settled = false;
    return {
      bytes,
      settle: (stored) => {
        if (settled) return;
        settled = true;
        const left = (this.reserved.get(appId) ?? bytes) - bytes;
        if (left > 0) this.reserved.set(appId, left);
        else this.reserved.delete(appId);
        if (stored > 0) usage.set(appId, (usage.get(appId) ?? 0) + stored);
      },
    };
  }
}
