/**
 * v4 member roles and muted members, as the official 4.x SDK names them:
 * {@link ConversationMemberRole}, {@link ConversationMemberInfo}, and the
 * payloads of the `memberinfoupdated`, `muted`/`unmuted` and
 * `membersmuted`/`membersunmuted` events.
 */

/** A member's role in a conversation (4.x `ConversationMemberRole`). */
export const ConversationMemberRole = Object.freeze({
  /** The creator. Nobody is promoted to it, and its role cannot change. */
  OWNER: 'Owner',
  /** May remove, block and mute plain members. */
  MANAGER: 'Manager',
  /** Everyone else. */
  MEMBER: 'Member',
} as const);

export type ConversationMemberRole = (typeof ConversationMemberRole)[keyof typeof ConversationMemberRole];

/** One member's info in one conversation (4.x `ConversationMemberInfo`, the `_ConversationMemberInfo` table). */
export class ConversationMemberInfo {
  /** The conversation's id. */
  readonly conversationId: string;
  /** The member's clientId. */
  readonly memberId: string;
  readonly #role: string;
  readonly #creator: string | undefined;

  /** @internal Made by {@link Conversation.getAllMemberInfo} and the `memberinfoupdated` event. */
  constructor(options: { conversationId: string; memberId: string; role: string; creator: string | undefined }) {
    this.conversationId = options.conversationId;
    this.memberId = options.memberId;
    this.#role = options.role;
    this.#creator = options.creator;
  }

  /** Whether the member is the owner (the conversation's creator). */
  get isOwner(): boolean {
    return this.memberId === this.#creator;
  }

  /** The role: `Owner` for the creator, else what the server stores (`Manager` or `Member`). */
  get role(): ConversationMemberRole | string {
    return this.isOwner ? ConversationMemberRole.OWNER : this.#role;
  }

  toJSON(): { conversationId: string; memberId: string; role: string; isOwner: boolean } {
    return { conversationId: this.conversationId, memberId: this.memberId, role: this.role, isOwner: this.isOwner };
  }
}

/** Payload of `memberinfoupdated`: the owner changed a member's role. */
export interface MemberInfoUpdatedPayload {
  /** The member whose role changed. */
  member: string;
  /** Its info now. */
  memberInfo: ConversationMemberInfo;
  /** Who changed it (the owner). */
  updatedBy: string | undefined;
}

/** Payload of `membersmuted`: the owner or a manager muted these members. */
export interface MembersMutedPayload {
  members: string[];
  mutedBy: string | undefined;
}

/** Payload of `membersunmuted`. */
export interface MembersUnmutedPayload {
  members: string[];
  unmutedBy: string | undefined;
}

/** A page of {@link Conversation.queryMutedMembers}: `next` is set while more follow. */
export interface MutedMembersPage {
  results: string[];
  next: string | undefined;
}

/** A page of {@link Conversation.queryBlockedMembers}: `next` is set while more follow. */
export type BlockedMembersPage = MutedMembersPage;

/** The server's answer to GET /1.1/classes/_ConversationMemberInfo. */
export interface MemberInfoRow {
  clientId: string;
  role: string;
}
