/**
 * The PostgreSQL schema, versioned in `lc_schema_version`: migration N
 * brings a database from version N to N + 1. Append new migrations; never
 * edit one that has shipped. It holds what SQLite's migrations 1..12 built,
 * in their final shape; see sqlite/schema.ts for why each piece exists.
 *
 * Text that is compared or sorted is `COLLATE "C"` (byte order, as SQLite
 * compares), whatever the database's default collation: queries give the
 * same order on both stores, and b-tree indexes serve prefix and range scans.
 * Booleans are smallint 0/1 and lists (members, muted, mention_pids) JSON
 * text, as in SQLite, so both stores share one row mapping (store/rows.ts).
 */
import type pg from 'pg';

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE apps (
    app_id            text COLLATE "C" PRIMARY KEY,
    app_key           text NOT NULL,
    master_key        text NOT NULL,
    require_signature smallint NOT NULL,
    created_at        bigint NOT NULL
  );

  CREATE TABLE conversations (
    app_id     text COLLATE "C" NOT NULL,
    id         text COLLATE "C" NOT NULL,
    name       text COLLATE "C",
    creator    text COLLATE "C" NOT NULL,
    members    text COLLATE "C" NOT NULL,           -- JSON array, sorted
    muted      text COLLATE "C" NOT NULL DEFAULT '[]', -- JSON array, sorted
    tr         smallint NOT NULL,
    sys        smallint NOT NULL,
    is_unique  smallint NOT NULL,
    unique_key text COLLATE "C",                    -- JSON of the sorted member set; unique conversations only
    unique_id  text COLLATE "C",
    attrs      jsonb NOT NULL DEFAULT '{}',         -- custom attributes
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    lm         bigint,                              -- timestamp of the last message
    last_seq   bigint NOT NULL DEFAULT 0,
    last_msg_id              text COLLATE "C",
    last_msg_from            text COLLATE "C",
    last_msg_data            text,
    last_msg_patch_timestamp bigint,
    last_msg_bin             smallint NOT NULL DEFAULT 0,
    mention_all_seq          bigint NOT NULL DEFAULT 0,
    expires_at               bigint,
    PRIMARY KEY (app_id, id)
  );
  CREATE UNIQUE INDEX conversations_unique_key ON conversations (app_id, unique_key) WHERE unique_key IS NOT NULL;
  -- The default query order (NULLS LAST: no messages last, as ORDER BY says).
  CREATE INDEX conversations_lm ON conversations (app_id, lm DESC NULLS LAST, updated_at DESC);
  CREATE INDEX conversations_expiry ON conversations (expires_at) WHERE expires_at IS NOT NULL;

  CREATE TABLE conversation_members (
    app_id       text COLLATE "C" NOT NULL,
    cid          text COLLATE "C" NOT NULL,
    client_id    text COLLATE "C" NOT NULL,
    joined_at    bigint NOT NULL,
    delivered_ts bigint NOT NULL DEFAULT 0,
    read_seq     bigint NOT NULL DEFAULT 0,
    read_ts      bigint NOT NULL DEFAULT 0,
    mention_seq  bigint NOT NULL DEFAULT 0,
    role         text NOT NULL DEFAULT 'Member' CHECK (role IN ('Member', 'Manager')),
    PRIMARY KEY (app_id, cid, client_id),
    FOREIGN KEY (app_id, cid) REFERENCES conversations (app_id, id) ON DELETE CASCADE
  );
  CREATE INDEX conversation_members_client ON conversation_members (app_id, client_id);

  CREATE TABLE messages (
    app_id          text COLLATE "C" NOT NULL,
    cid             text COLLATE "C" NOT NULL,
    seq             bigint NOT NULL,
    id              text COLLATE "C" NOT NULL UNIQUE,
    from_peer       text COLLATE "C" NOT NULL,
    data            text NOT NULL,
    timestamp       bigint NOT NULL,
    dt              text COLLATE "C",
    receipt         smallint NOT NULL,
    mention_pids    text NOT NULL DEFAULT '[]',
    mention_all     smallint NOT NULL DEFAULT 0,
    patch_timestamp bigint,
    lctype          integer,
    bin             smallint NOT NULL DEFAULT 0,
    PRIMARY KEY (app_id, cid, seq),
    FOREIGN KEY (app_id, cid) REFERENCES conversations (app_id, id) ON DELETE CASCADE
  );
  CREATE UNIQUE INDEX messages_dt ON messages (app_id, cid, from_peer, dt) WHERE dt IS NOT NULL;
  CREATE INDEX messages_time ON messages (app_id, cid, timestamp, seq);
  CREATE INDEX messages_patched ON messages (app_id, patch_timestamp) WHERE patch_timestamp IS NOT NULL;

  -- One row: the newest membership event's seq and time. Recording an event
  -- updates it, so events commit one at a time in seq order across every
  -- process (a sequence would let seq 11 commit before seq 10, and a
  -- reader's cursor skip 10 for ever).
  CREATE TABLE notification_head (
    one       boolean PRIMARY KEY DEFAULT true CHECK (one),
    seq       bigint NOT NULL,
    server_ts bigint NOT NULL
  );
  INSERT INTO notification_head (seq, server_ts) VALUES (0, 0);
  CREATE TABLE notification_events (
    seq       bigint PRIMARY KEY,
    server_ts bigint NOT NULL,
    app_id    text COLLATE "C" NOT NULL,
    op        text NOT NULL,
    cid       text COLLATE "C" NOT NULL,
    init_by   text COLLATE "C" NOT NULL,
    members   text,
    info      text
  );
  CREATE INDEX notification_events_time ON notification_events (server_ts);
  CREATE TABLE notification_recipients (
    app_id    text COLLATE "C" NOT NULL,
    client_id text COLLATE "C" NOT NULL,
    seq       bigint NOT NULL,
    PRIMARY KEY (app_id, client_id, seq)
  );
  CREATE INDEX notification_recipients_seq ON notification_recipients (seq);
  CREATE TABLE notification_cursors (
    app_id    text COLLATE "C" NOT NULL,
    client_id text COLLATE "C" NOT NULL,
    login     text COLLATE "C" NOT NULL,
    up_to     bigint NOT NULL,
    saved_at  bigint NOT NULL,
    PRIMARY KEY (app_id, client_id, login)
  );
  CREATE INDEX notification_cursors_saved ON notification_cursors (saved_at);

  CREATE TABLE revoked_logins (
    app_id     text COLLATE "C" NOT NULL,
    login_id   text COLLATE "C" NOT NULL,
    expires_at bigint NOT NULL,
    PRIMARY KEY (app_id, login_id)
  );
  CREATE INDEX revoked_logins_expiry ON revoked_logins (expires_at);

  CREATE TABLE conversation_blocklist (
    app_id     text COLLATE "C" NOT NULL,
    cid        text COLLATE "C" NOT NULL,
    client_id  text COLLATE "C" NOT NULL,
    blocked_by text NOT NULL,
    blocked_at bigint NOT NULL,
    PRIMARY KEY (app_id, cid, client_id),
    FOREIGN KEY (app_id, cid) REFERENCES conversations (app_id, id) ON DELETE CASCADE
  );
  CREATE TABLE conversation_shutup (
    app_id    text COLLATE "C" NOT NULL,
    cid       text COLLATE "C" NOT NULL,
    client_id text COLLATE "C" NOT NULL,
    muted_by  text NOT NULL,
    muted_at  bigint NOT NULL,
    PRIMARY KEY (app_id, cid, client_id),
    FOREIGN KEY (app_id, cid) REFERENCES conversations (app_id, id) ON DELETE CASCADE
  );

  -- The query budget's row count (see query-budget.ts): called first in a
  -- budgeted query's WHERE, so once per row examined; over max_rows it
  -- aborts the statement with SQLSTATE LC001.
  CREATE FUNCTION lc_tick(max_rows bigint) RETURNS boolean LANGUAGE plpgsql VOLATILE COST 1 AS $$
  DECLARE
    n bigint := coalesce(nullif(current_setting('lc.rows', true), ''), '0')::bigint + 1;
  BEGIN
    PERFORM set_config('lc.rows', n::text, true);
    IF n > max_rows THEN
      RAISE EXCEPTION 'query examines more than % rows', max_rows USING ERRCODE = 'LC001';
    END IF;
    RETURN true;
  END $$;

  -- A Date attribute ({__type: 'Date', iso}) in ms, or NULL when iso is not
  -- a time (as SQLite's unixepoch() reads it): comparisons never fail.
  CREATE FUNCTION lc_date_ms(iso text) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
  BEGIN
    RETURN round(extract(epoch FROM iso::timestamptz) * 1000);
  EXCEPTION WHEN others THEN
    RETURN NULL;
  END $$;
  `,
  `
  -- Web Push in the store (issue 17): one VAPID key pair for every node
  -- (the private key is as secret as the database), and the browsers'
  -- subscriptions, one owner per endpoint; seq orders a client's
  -- subscriptions, oldest first. See sqlite/schema.ts migration 13.
  CREATE TABLE vapid_keys (
    id          integer PRIMARY KEY CHECK (id = 1),
    public_key  text NOT NULL,
    private_key text NOT NULL,
    created_at  bigint NOT NULL
  );
  CREATE TABLE push_subscriptions (
    endpoint   text COLLATE "C" PRIMARY KEY,
    app_id     text COLLATE "C" NOT NULL,
    client_id  text COLLATE "C" NOT NULL,
    seq        bigint NOT NULL,
    p256dh     text NOT NULL,
    auth       text NOT NULL,
    lang       text,
    created_at bigint NOT NULL
  );
  CREATE UNIQUE INDEX push_subscriptions_client ON push_subscriptions (app_id, client_id, seq);
  -- push_subscriptions' rows, kept by every write that changes them: each new
  -- subscription checks the deployment's total, and counting 100,000 rows
  -- took 20 ms (SQLite counts its b-tree in under 1 ms, and keeps no such row).
  CREATE TABLE push_subscription_count (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    n   bigint NOT NULL
  );
  INSERT INTO push_subscription_count (n) VALUES (0);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Any key, the same in every process: held while migrating. */
const MIGRATION_LOCK = 0x6c636d67;

/**
 * Brings the database to SCHEMA_VERSION in one transaction; refuses a
 * newer database. An advisory lock makes a second process starting at the
 * same time wait, then find the work done.
 */
export async function migrate(client: pg.ClientBase): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS lc_schema_version (version integer NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM lc_schema_version');
    const version = rows[0]?.version ?? 0;
    if (version > SCHEMA_VERSION) {
      throw new Error(`database schema version ${version} is newer than this server's (${SCHEMA_VERSION})`);
    }
    for (let next = version; next < SCHEMA_VERSION; next++) await client.query(MIGRATIONS[next]!);
    if (rows.length === 0) await client.query('INSERT INTO lc_schema_version (version) VALUES ($1)', [SCHEMA_VERSION]);
    else if (version !== SCHEMA_VERSION) await client.query('UPDATE lc_schema_version SET version = $1', [SCHEMA_VERSION]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
