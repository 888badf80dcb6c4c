/**
 * The SQLite schema, versioned with `PRAGMA user_version`: migration N
 * brings a database from version N to N + 1. Append new migrations; never
 * edit one that has shipped.
 */
import type Database from 'better-sqlite3';

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE apps (
    app_id            TEXT PRIMARY KEY NOT NULL,
    app_key           TEXT NOT NULL,
    master_key        TEXT NOT NULL,
    require_signature INTEGER NOT NULL,
    created_at        INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE conversations (
    app_id     TEXT NOT NULL,
    id         TEXT NOT NULL,
    name       TEXT,
    creator    TEXT NOT NULL,
    members    TEXT NOT NULL,              -- JSON array, sorted
    muted      TEXT NOT NULL DEFAULT '[]', -- JSON array, sorted
    tr         INTEGER NOT NULL,
    sys        INTEGER NOT NULL,
    is_unique  INTEGER NOT NULL,
    unique_key TEXT,                       -- JSON of the sorted member set; unique conversations only
    unique_id  TEXT,
    attrs      TEXT NOT NULL DEFAULT '{}', -- JSON object of custom attributes
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    lm         INTEGER,                    -- timestamp of the last message
    last_seq   INTEGER NOT NULL DEFAULT 0,
    last_msg_id              TEXT,
    last_msg_from            TEXT,
    last_msg_data            TEXT,
    last_msg_patch_timestamp INTEGER,
    PRIMARY KEY (app_id, id)
  ) STRICT;
  CREATE UNIQUE INDEX conversations_unique_key ON conversations (app_id, unique_key) WHERE unique_key IS NOT NULL;
  -- The default query order.
  CREATE INDEX conversations_lm ON conversations (app_id, lm DESC, updated_at DESC);

  CREATE TABLE conversation_members (
    app_id       TEXT NOT NULL,
    cid          TEXT NOT NULL,
    client_id    TEXT NOT NULL,
    joined_at    INTEGER NOT NULL,
    delivered_ts INTEGER NOT NULL DEFAULT 0,
    read_seq     INTEGER NOT NULL DEFAULT 0,
    read_ts      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (app_id, cid, client_id),
    FOREIGN KEY (app_id, cid) REFERENCES conversations (app_id, id) ON DELETE CASCADE
  ) STRICT, WITHOUT ROWID;
  -- "Conversations of this client": membership queries (m $all) start here.
  CREATE INDEX conversation_members_client ON conversation_members (app_id, client_id);

  -- A rowid table: payloads can be kilobytes, too large for WITHOUT ROWID.
  CREATE TABLE messages (
    app_id          TEXT NOT NULL,
    cid             TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    id              TEXT NOT NULL UNIQUE,
    from_peer       TEXT NOT NULL,
    data            TEXT NOT NULL,
    timestamp       INTEGER NOT NULL,
    dt              TEXT,
    receipt         INTEGER NOT NULL,
    mention_pids    TEXT NOT NULL DEFAULT '[]',
    mention_all     INTEGER NOT NULL DEFAULT 0,
    patch_timestamp INTEGER,
    lctype          INTEGER,               -- the payload's _lctype, for the history type filter
    PRIMARY KEY (app_id, cid, seq),
    FOREIGN KEY (app_id, cid) REFERENCES conversations (app_id, id) ON DELETE CASCADE
  ) STRICT;
  -- Retries carry the same dt: the second insert finds the first.
  CREATE UNIQUE INDEX messages_dt ON messages (app_id, cid, from_peer, dt) WHERE dt IS NOT NULL;
  -- History bounds given as a time without a message id.
  CREATE INDEX messages_time ON messages (app_id, cid, timestamp, seq);
  `,
  `
  -- Recalled and edited messages, for the patches a client missed while
  -- offline (session open with lastPatchTime). Partial: most messages are
  -- never patched, so the index stays small.
  CREATE INDEX messages_patched ON messages (app_id, patch_timestamp) WHERE patch_timestamp IS NOT NULL;
  `,
  `
  -- Membership events (joined, members_joined, left, members_left), kept
  -- for the clients that were offline when they happened: replayed after a
  -- reconnect, or fetched by v4 from GET /1.1/rtm/notifications. One row per
  -- event; server_ts is its time and key, strictly increasing.
  CREATE TABLE notification_events (
    server_ts INTEGER PRIMARY KEY,
    app_id    TEXT NOT NULL,
    op        TEXT NOT NULL,
    cid       TEXT NOT NULL,
    init_by   TEXT NOT NULL,
    members   TEXT               -- JSON array: members_joined / members_left only
  ) STRICT;
  -- Who each event is for: a 500-member conversation's event is one event row and 500 of these.
  CREATE TABLE notification_recipients (
    app_id    TEXT NOT NULL,
    client_id TEXT NOT NULL,
    server_ts INTEGER NOT NULL,
    PRIMARY KEY (app_id, client_id, server_ts)
  ) STRICT, WITHOUT ROWID;
  -- Pruning by age.
  CREATE INDEX notification_recipients_ts ON notification_recipients (server_ts);
  -- Per login (a digest of its session token): every event up to up_to was
  -- sent to it before its connection went away. A reconnect presenting the
  -- token is sent what came after.
  CREATE TABLE notification_cursors (
    app_id    TEXT NOT NULL,
    client_id TEXT NOT NULL,
    login     TEXT NOT NULL,
    up_to     INTEGER NOT NULL,
    saved_at  INTEGER NOT NULL,
    PRIMARY KEY (app_id, client_id, login)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX notification_cursors_saved ON notification_cursors (saved_at);
  `,
  `
  -- Logins logged out (session close): their session tokens, which are
  -- stateless HMACs, are refused while any of them could still be valid.
  -- In the store so that every node sharing it refuses them.
  CREATE TABLE revoked_logins (
    app_id     TEXT NOT NULL,
    login_id   TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (app_id, login_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX revoked_logins_expiry ON revoked_logins (expires_at);
  `,
  `
  -- Conversation blocklists (v4 blacklist): a blocked client cannot join or
  -- be added until unblocked. Paged by client_id.
  CREATE TABLE conversation_blocklist (
    app_id     TEXT NOT NULL,
    cid        TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    blocked_by TEXT NOT NULL,
    blocked_at INTEGER NOT NULL,
    PRIMARY KEY (app_id, cid, client_id),
    FOREIGN KEY (app_id, cid) REFERENCES conversations (app_id, id) ON DELETE CASCADE
  ) STRICT, WITHOUT ROWID;
  `,
  `
  -- Membership events get a strictly increasing seq as their key and
  -- cursor; server_ts becomes the wall-clock time, shared by the events of
  -- one millisecond, instead of being pushed 1 ms past the previous event
  -- (under a flood that ran minutes ahead of real time). Existing events
  -- keep their old server_ts as their seq, which keeps their order and
  -- every saved cursor (notification_cursors.up_to is now a seq) valid;
  -- new events continue from the largest. Their time is the old one, but
  -- no later than now: a past flood's lead is not carried forward.
  ALTER TABLE notification_events RENAME COLUMN server_ts TO seq;
  ALTER TABLE notification_events ADD COLUMN server_ts INTEGER NOT NULL DEFAULT 0;
  UPDATE notification_events SET server_ts = min(seq, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
  ALTER TABLE notification_recipients RENAME COLUMN server_ts TO seq;
  DROP INDEX notification_recipients_ts;
  CREATE INDEX notification_recipients_seq ON notification_recipients (seq);
  -- v4's fetch by time, and pruning by age.
  CREATE INDEX notification_events_time ON notification_events (server_ts);
  `,
  `
  -- attrs where SQLite's JSON functions can read it, else NULL: a value
  -- nested deeper than their limit (1000) would fail every statement that
  -- reads it, so attribute queries read this and see such rows' attributes
  -- as missing. Virtual: computed when read, nothing stored.
  ALTER TABLE conversations ADD COLUMN attrs_readable TEXT
    GENERATED ALWAYS AS (CASE WHEN json_valid(attrs) THEN attrs END) VIRTUAL;
  `,
  `
  -- Unread entries say whether the unread messages mention the member (v4
  -- 'mentioned'): the seq of the newest message naming the member in its
  -- mentionPids, and of the newest with mentionAll. Mentioned = either is
  -- past the member's read_seq: no scan of the unread messages.
  ALTER TABLE conversation_members ADD COLUMN mention_seq INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE conversations ADD COLUMN mention_all_seq INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- Binary messages (v4 binaryMsg): data holds the bytes in base64 and bin
  -- says so, for the message and for the conversation's last-message copy.
  ALTER TABLE messages ADD COLUMN bin INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE conversations ADD COLUMN last_msg_bin INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- Temporary conversations (v4 tempConv, ids '_tmp:...'): when one expires
  -- (ms). NULL for every other conversation. Expired ones read as absent and
  -- are deleted, with their members and messages, by a periodic prune.
  ALTER TABLE conversations ADD COLUMN expires_at INTEGER;
  CREATE INDEX conversations_expiry ON conversations (expires_at) WHERE expires_at IS NOT NULL;
  `,
  `
  -- v4 member roles. The owner is the creator (never stored); a member row
  -- says Manager or Member, so a member who leaves loses its role.
  ALTER TABLE conversation_members ADD COLUMN role TEXT NOT NULL DEFAULT 'Member'
    CHECK (role IN ('Member', 'Manager'));
  -- v4 muted members (shutup): their direct is refused (4563). Kept when the
  -- member leaves, so quitting and rejoining does not lift it. Paged by client_id.
  CREATE TABLE conversation_shutup (
    app_id    TEXT NOT NULL,
    cid       TEXT NOT NULL,
    client_id TEXT NOT NULL,
    muted_by  TEXT NOT NULL,
    muted_at  INTEGER NOT NULL,
    PRIMARY KEY (app_id, cid, client_id),
    FOREIGN KEY (app_id, cid) REFERENCES conversations (app_id, id) ON DELETE CASCADE
  ) STRICT, WITHOUT ROWID;
  `,
  `
  -- v4 member_info_changed events carry the member and its new role
  -- (JSON {pid, role}), so a client offline when a role changed is told
  -- after it reconnects, like the other membership events.
  ALTER TABLE notification_events ADD COLUMN info TEXT;
  `,
  `
  -- Web Push in the store (issue 17), so every node of a deployment signs
  -- with one VAPID key pair and knows every browser subscription. One row:
  -- the pair is made once; the private key is as secret as the database.
  CREATE TABLE vapid_keys (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    public_key  TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  ) STRICT;
  -- One owner per endpoint (an endpoint is one browser profile); seq orders
  -- a client's subscriptions, oldest first, for the per-client bound.
  CREATE TABLE push_subscriptions (
    endpoint   TEXT PRIMARY KEY NOT NULL,
    app_id     TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    p256dh     TEXT NOT NULL,
    auth       TEXT NOT NULL,
    lang       TEXT,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX push_subscriptions_client ON push_subscriptions (app_id, client_id, seq);
  `,
  `
  -- Cheaper appends (issue 11). Every message used to write five B-trees
  -- keyed by repeated TEXT (app_id, cid): the rowid table, the (app_id,
  -- cid, seq) key, the unique id, the dt dedupe index and a time index.
  -- Now a conversation has an integer key, and a message's rowid is
  -- conv_key * 2^32 + seq: the table itself is in (conversation, seq)
  -- order, so history by seq is a rowid range and there is no separate
  -- key. Bounds by time search that range by bisection (timestamps never
  -- decrease with seq, and seqs have no gaps), so the time index goes.
  -- Left: the table, the dt index on integer-keyed (conv, from_peer, dt),
  -- and the unique id, which grows at its right edge (ids start with their
  -- time). Seq stays below 2^32 per conversation, conv_key below 2^31.
  --
  -- conv_key: new conversations get the next one from a trigger, whoever
  -- inserts them; existing ones keep their rowid. A deleted conversation
  -- takes its messages with it (trigger, in the DELETE's transaction).
  ALTER TABLE conversations ADD COLUMN conv_key INTEGER;
  UPDATE conversations SET conv_key = rowid;
  CREATE UNIQUE INDEX conversations_key ON conversations (conv_key);
  CREATE TRIGGER conversations_key AFTER INSERT ON conversations WHEN new.conv_key IS NULL BEGIN
    UPDATE conversations SET conv_key = (SELECT coalesce(max(conv_key), 0) + 1 FROM conversations) WHERE rowid = new.rowid;
  END;

  CREATE TABLE message_rows (
    rid             INTEGER PRIMARY KEY,   -- conv_key * 2^32 + seq
    conv            INTEGER GENERATED ALWAYS AS (rid >> 32) VIRTUAL,
    id              TEXT NOT NULL,
    from_peer       TEXT NOT NULL,
    data            TEXT NOT NULL,
    timestamp       INTEGER NOT NULL,
    dt              TEXT,
    receipt         INTEGER NOT NULL,
    mention_pids    TEXT NOT NULL DEFAULT '[]',
    mention_all     INTEGER NOT NULL DEFAULT 0,
    patch_timestamp INTEGER,
    lctype          INTEGER,
    bin             INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  INSERT INTO message_rows (rid, id, from_peer, data, timestamp, dt, receipt, mention_pids, mention_all, patch_timestamp, lctype, bin)
    SELECT c.conv_key * 4294967296 + m.seq, m.id, m.from_peer, m.data, m.timestamp, m.dt, m.receipt, m.mention_pids,
           m.mention_all, m.patch_timestamp, m.lctype, m.bin
      FROM messages m JOIN conversations c ON c.app_id = m.app_id AND c.id = m.cid
     ORDER BY 1;
  DROP TABLE messages;
  CREATE UNIQUE INDEX message_rows_id ON message_rows (id);
  -- Retries carry the same dt: the second insert finds the first.
  CREATE UNIQUE INDEX message_rows_dt ON message_rows (conv, from_peer, dt) WHERE dt IS NOT NULL;
  -- Patched (recalled, edited) messages per conversation, for patches missed offline.
  CREATE INDEX message_rows_patched ON message_rows (conv, patch_timestamp) WHERE patch_timestamp IS NOT NULL;
  CREATE TRIGGER conversations_messages AFTER DELETE ON conversations BEGIN
    DELETE FROM message_rows WHERE rid >= old.conv_key * 4294967296 AND rid < (old.conv_key + 1) * 4294967296;
  END;

  -- The messages as they were, for tools and ad-hoc SQL (lc-chat migrate,
  -- the bench seed, sqlite3 on the file): reads, and inserts, which take
  -- the conversation's key. The server itself uses message_rows.
  CREATE VIEW messages AS
    SELECT c.app_id, c.id AS cid, m.rid & 4294967295 AS seq, m.id, m.from_peer, m.data, m.timestamp, m.dt, m.receipt,
           m.mention_pids, m.mention_all, m.patch_timestamp, m.lctype, m.bin
      FROM conversations c JOIN message_rows m ON m.rid >= c.conv_key * 4294967296 AND m.rid < (c.conv_key + 1) * 4294967296;
  CREATE TRIGGER messages_insert INSTEAD OF INSERT ON messages BEGIN
    SELECT RAISE(ABORT, 'messages: no such conversation')
     WHERE NOT EXISTS (SELECT 1 FROM conversations WHERE app_id = new.app_id AND id = new.cid AND conv_key IS NOT NULL);
    SELECT RAISE(ABORT, 'messages: seq must be 1 to 2^32 - 1') WHERE NOT (new.seq BETWEEN 1 AND 4294967295);
    INSERT INTO message_rows (rid, id, from_peer, data, timestamp, dt, receipt, mention_pids, mention_all, patch_timestamp, lctype, bin)
    VALUES ((SELECT conv_key FROM conversations WHERE app_id = new.app_id AND id = new.cid) * 4294967296 + new.seq, new.id,
            new.from_peer, new.data, new.timestamp, new.dt, new.receipt, coalesce(new.mention_pids, '[]'),
            coalesce(new.mention_all, 0), new.patch_timestamp, new.lctype, coalesce(new.bin, 0));
  END;
  `,
  `
  -- Broker backlogs (broker/redis/backlog-ledger.ts): one row per node
  -- that holds publications it acked and could not hand to Redis, so that
  -- the others announce the gap if it dies holding them. See the PostgreSQL
  -- schema's migration 7, whose clock the nodes of a cluster share.
  CREATE TABLE broker_backlog (
    node_id TEXT PRIMARY KEY NOT NULL,
    since   INTEGER NOT NULL,
    beat_at INTEGER NOT NULL
  ) STRICT;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to SCHEMA_VERSION; refuses a newer database. */
export function migrate(db: Database.Database): void {
  // IMMEDIATE: two processes opening a fresh file must not both migrate it.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`database schema version ${version} is newer than this server's (${SCHEMA_VERSION})`);
    }
    for (let next = version; next < SCHEMA_VERSION; next++) {
      db.exec(MIGRATIONS[next]!);
      db.pragma(`user_version = ${next + 1}`);
    }
  }).immediate();
}
