/**
 * Results of adding and removing members. v4-aware servers answer
 * `add`/`remove` with `allowedPids` and `failedPids` (protocol.md §4.2,
 * configBitmap bit 5); older ones with an empty body, meaning every
 * requested member succeeded.
 */
import type { IConvCommand } from '../protocol/index.js';
import { ProtocolError } from './errors.js';

/** Why some members could not be added or removed: the server's error, plus which members it concerns. */
export class MembershipError extends ProtocolError {
  /** The clientIds this failure applies to. */
  readonly clientIds: string[];

  constructor(code: number, options: { name?: string; message?: string; detail?: string; appCode?: number }, clientIds: string[]) {
    super(code, options);
    this.clientIds = clientIds;
  }
}

/** The outcome of {@link Conversation.addMembers} / {@link Conversation.removeMembers} (the v4 SDK's shape). */
export interface MembershipResult {
  /** Members added (or removed). */
  successfulClientIds: string[];
  /** One error per reason, each naming its members. */
  failures: MembershipError[];
}

/** Reads the reply of `conv add/remove` for the `requested` members. */
export function membershipResult(requested: readonly string[], reply: Pick<IConvCommand, 'allowedPids' | 'failedPids'> | null | undefined): MembershipResult {
  const allowed = reply?.allowedPids ?? [];
  const failed = reply?.failedPids ?? [];
  if (allowed.length === 0 && failed.length === 0) return { successfulClientIds: [...requested], failures: [] };
  return {
    successfulClientIds: [...allowed],
    failures: failed.map((failure) => {
      const reason = failure.reason || undefined;
      return new MembershipError(
        failure.code ?? 0,
        {
          ...(reason ? { name: reason, message: reason } : {}),
          ...(failure.detail ? { detail: failure.detail } : {}),
          ...(failure.appCode ? { appCode: failure.appCode } : {}),
        },
        [...(failure.pids ?? [])],
      );
    }),
  };
}

/** Normalizes the ids argument of add/remove: one id or a list, deduplicated and sorted (the signed order). */
export function memberIds(clientIds: string | readonly string[]): string[] {
  const list = typeof clientIds === 'string' ? [clientIds] : clientIds;
  if (!Array.isArray(list) || list.some((id) => typeof id !== 'string' || id === '')) {
    throw new TypeError(`${String(clientIds)} is not a clientId or a list of clientIds`);
  }
  if (list.length === 0) throw new TypeError('no clientIds given');
  return [...new Set<string>(list)].sort();
}
