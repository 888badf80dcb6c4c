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
  // 3: appends in one round trip (appends.ts). The batch's transaction was
  // BEGIN, lock the heads, look up retries, write, COMMIT: five round trips
  // and three statements parsed and planned per batch. Called alone, this
  // function is one statement and its own transaction, its plans cached.
  //
  // And no foreign key check per message: the key's trigger ran one locking
  // lookup of the conversation per inserted row, a third of the database's
  // CPU per append (15 to 20 µs of 47 to 55, bench/stores.ts load at the
  // store). lc_append_messages locks the conversation row before it
  // inserts, which guards the same thing (a conversation deleted first is
  // not found; one deleted after waits for the COMMIT), and a statement
  // trigger keeps the cascade: deleting conversations deletes their messages.
  `
  ALTER TABLE messages DROP CONSTRAINT messages_app_id_cid_fkey;
  CREATE FUNCTION lc_delete_conversation_messages() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM messages m USING gone g WHERE m.app_id = g.app_id AND m.cid = g.id;
    RETURN NULL;
  END $$;
  CREATE TRIGGER conversations_delete_messages AFTER DELETE ON conversations
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION lc_delete_conversation_messages();

  -- One batch. The caller numbers the batch's messages per conversation
  -- (rank 1, 2, … in batch order, retries within the batch sent once), so
  -- that seq = the conversation's last_seq + rank; per conversation it sends
  -- the count, the newest message's index and the rank of the newest
  -- mentioning everyone (0: none), and per member row touched the rank of
  -- the sender's newest message (read_rank) and of the newest mentioning it
  -- (mention_rank), 0 for none.
  --
  -- A retry of a stored message (same app, cid, from and dt) fails the
  -- insert on messages_dt; then nothing is written and the function returns
  -- the stored messages the batch repeats ('earlier' rows), for the caller to
  -- answer those and send the rest again. Otherwise it returns each found
  -- conversation's last_seq before the batch and the batch's timestamp
  -- ('head' rows); a conversation not found has none.
  CREATE FUNCTION lc_append_messages(
    p_app_id text[], p_cid text[], p_conv integer[], p_rank integer[], p_id text[], p_from text[], p_data text[], p_dt text[],
    p_receipt smallint[], p_mention_pids text[], p_mention_all smallint[], p_lctype integer[], p_bin smallint[],
    p_conv_app_id text[], p_conv_cid text[], p_conv_count integer[], p_conv_newest integer[], p_conv_mention_all integer[],
    p_mark_conv integer[], p_mark_client text[], p_mark_read integer[], p_mark_mention integer[], p_now bigint)
  RETURNS TABLE (kind text, ord integer, app_id text, cid text, id text, seq bigint, from_peer text, data text,
    "timestamp" bigint, dt text, receipt smallint, mention_pids text, mention_all smallint, patch_timestamp bigint, bin smallint)
  LANGUAGE plpgsql VOLATILE AS $$
  #variable_conflict use_column
  DECLARE
    v_base bigint[];
    v_ts bigint[];
  BEGIN
    -- Every conversation of the batch, locked in key order (two batches
    -- never deadlock on them) until COMMIT: seqs stay gapless across
    -- processes, and a retry's insert below sees every committed message.
    PERFORM 1 FROM conversations c
      WHERE (c.app_id, c.id) IN (SELECT * FROM unnest(p_conv_app_id, p_conv_cid))
      ORDER BY c.app_id, c.id FOR UPDATE OF c;
    -- A new statement, so a new snapshot: what committed before the locks.
    SELECT array_agg(c.last_seq ORDER BY k.n), array_agg(greatest(p_now, coalesce(c.lm, 0)) ORDER BY k.n) INTO v_base, v_ts
      FROM unnest(p_conv_app_id, p_conv_cid) WITH ORDINALITY AS k(app_id, id, n)
      LEFT JOIN conversations c ON c.app_id = k.app_id AND c.id = k.id;
    BEGIN
      INSERT INTO messages (app_id, cid, seq, id, from_peer, data, timestamp, dt, receipt, mention_pids, mention_all, lctype, bin)
      SELECT i.app_id, i.cid, v_base[i.conv] + i.rank, i.id, i.from_peer, i.data, v_ts[i.conv], i.dt, i.receipt, i.mention_pids, i.mention_all, i.lctype, i.bin
      FROM unnest(p_app_id, p_cid, p_conv, p_rank, p_id, p_from, p_data, p_dt, p_receipt, p_mention_pids, p_mention_all, p_lctype, p_bin)
        AS i(app_id, cid, conv, rank, id, from_peer, data, dt, receipt, mention_pids, mention_all, lctype, bin)
      WHERE v_base[i.conv] IS NOT NULL;
    EXCEPTION WHEN unique_violation THEN
      -- Rolled back to the block's start. The messages the batch repeats, in a new snapshot.
      RETURN QUERY
      SELECT 'earlier'::text, i.ord::integer, m.app_id::text, m.cid::text, m.id::text, m.seq, m.from_peer::text, m.data, m.timestamp,
        m.dt::text, m.receipt, m.mention_pids, m.mention_all, m.patch_timestamp, m.bin
      FROM unnest(p_app_id, p_cid, p_from, p_dt) WITH ORDINALITY AS i(app_id, cid, from_peer, dt, ord)
      -- One index probe per input (LATERAL: a cached generic plan must not guess a join order).
      CROSS JOIN LATERAL (
        SELECT * FROM messages m
        WHERE m.app_id = i.app_id AND m.cid = i.cid AND m.from_peer = i.from_peer AND m.dt = i.dt AND m.dt IS NOT NULL
        LIMIT 1
      ) AS m
      WHERE i.dt IS NOT NULL;
      -- No retry explains it (a message id given twice): the batch fails.
      IF NOT FOUND THEN
        RAISE;
      END IF;
      RETURN;
    END;
    UPDATE conversations c SET last_seq = v_base[h.n] + h.count, lm = v_ts[h.n], last_msg_id = p_id[h.newest],
      last_msg_from = p_from[h.newest], last_msg_data = p_data[h.newest], last_msg_patch_timestamp = NULL,
      last_msg_bin = p_bin[h.newest],
      mention_all_seq = CASE WHEN h.mention_all > 0 THEN greatest(c.mention_all_seq, v_base[h.n] + h.mention_all) ELSE c.mention_all_seq END
    FROM unnest(p_conv_app_id, p_conv_cid, p_conv_count, p_conv_newest, p_conv_mention_all) WITH ORDINALITY AS h(app_id, cid, count, newest, mention_all, n)
    WHERE c.app_id = h.app_id AND c.id = h.cid AND v_base[h.n] IS NOT NULL;
    -- Senders' read positions (own messages are never unread) and mentioned
    -- members' marks, one row each.
    UPDATE conversation_members m SET
      read_seq = CASE WHEN k.read_rank > 0 THEN greatest(m.read_seq, v_base[k.conv] + k.read_rank) ELSE m.read_seq END,
      mention_seq = CASE WHEN k.mention_rank > 0 THEN greatest(m.mention_seq, v_base[k.conv] + k.mention_rank) ELSE m.mention_seq END
    FROM unnest(p_mark_conv, p_mark_client, p_mark_read, p_mark_mention) AS k(conv, client_id, read_rank, mention_rank)
    WHERE m.app_id = p_conv_app_id[k.conv] AND m.cid = p_conv_cid[k.conv] AND m.client_id = k.client_id AND v_base[k.conv] IS NOT NULL;
    RETURN QUERY
    SELECT 'head'::text, NULL::integer, p_conv_app_id[n], p_conv_cid[n], NULL::text, v_base[n], NULL::text, NULL::text, v_ts[n],
      NULL::text, NULL::smallint, NULL::text, NULL::smallint, NULL::bigint, NULL::smallint
    FROM generate_subscripts(p_conv_app_id, 1) AS n WHERE v_base[n] IS NOT NULL;
  END $$;
  `,
  // 4: lc_append_batch, lc_append_messages with less to send and to plan
  // (appends.ts). A message's app and conversation come as its
  // conversation's index (p_conv), not as two more text arrays; a NULL
  // mention list stands for '[]'. Its statements always take their generic
  // plans: the array arguments make each custom plan look dearer than the
  // generic one, so plpgsql planned every statement again for the first
  // five calls on each connection, 8 % of the backends' samples (`perf`)
  // in the persisted bench, which calls it a few hundred times. The plans
  // are the same: index probes driven by the arrays. lc_append_messages
  // stays for servers of the version before, during an upgrade.
  `
  CREATE FUNCTION lc_append_batch(
    p_conv integer[], p_rank integer[], p_id text[], p_from text[], p_data text[], p_dt text[],
    p_receipt smallint[], p_mention_pids text[], p_mention_all smallint[], p_lctype integer[], p_bin smallint[],
    p_conv_app_id text[], p_conv_cid text[], p_conv_count integer[], p_conv_newest integer[], p_conv_mention_all integer[],
    p_mark_conv integer[], p_mark_client text[], p_mark_read integer[], p_mark_mention integer[], p_now bigint)
  RETURNS TABLE (kind text, ord integer, app_id text, cid text, id text, seq bigint, from_peer text, data text,
    "timestamp" bigint, dt text, receipt smallint, mention_pids text, mention_all smallint, patch_timestamp bigint, bin smallint)
  LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
  #variable_conflict use_column
  DECLARE
    v_base bigint[];
    v_ts bigint[];
  BEGIN
    -- As lc_append_messages (migration 3) does, step by step.
    PERFORM 1 FROM conversations c
      WHERE (c.app_id, c.id) IN (SELECT * FROM unnest(p_conv_app_id, p_conv_cid))
      ORDER BY c.app_id, c.id FOR UPDATE OF c;
    SELECT array_agg(c.last_seq ORDER BY k.n), array_agg(greatest(p_now, coalesce(c.lm, 0)) ORDER BY k.n) INTO v_base, v_ts
      FROM unnest(p_conv_app_id, p_conv_cid) WITH ORDINALITY AS k(app_id, id, n)
      LEFT JOIN conversations c ON c.app_id = k.app_id AND c.id = k.id;
    BEGIN
      INSERT INTO messages (app_id, cid, seq, id, from_peer, data, timestamp, dt, receipt, mention_pids, mention_all, lctype, bin)
      SELECT p_conv_app_id[i.conv], p_conv_cid[i.conv], v_base[i.conv] + i.rank, i.id, i.from_peer, i.data, v_ts[i.conv], i.dt, i.receipt,
        coalesce(i.mention_pids, '[]'), i.mention_all, i.lctype, i.bin
      FROM unnest(p_conv, p_rank, p_id, p_from, p_data, p_dt, p_receipt, p_mention_pids, p_mention_all, p_lctype, p_bin)
        AS i(conv, rank, id, from_peer, data, dt, receipt, mention_pids, mention_all, lctype, bin)
      WHERE v_base[i.conv] IS NOT NULL;
    EXCEPTION WHEN unique_violation THEN
      RETURN QUERY
      SELECT 'earlier'::text, i.ord::integer, m.app_id::text, m.cid::text, m.id::text, m.seq, m.from_peer::text, m.data, m.timestamp,
        m.dt::text, m.receipt, m.mention_pids, m.mention_all, m.patch_timestamp, m.bin
      FROM unnest(p_conv, p_from, p_dt) WITH ORDINALITY AS i(conv, from_peer, dt, ord)
      CROSS JOIN LATERAL (
        SELECT * FROM messages m
        WHERE m.app_id = p_conv_app_id[i.conv] AND m.cid = p_conv_cid[i.conv] AND m.from_peer = i.from_peer AND m.dt = i.dt AND m.dt IS NOT NULL
        LIMIT 1
      ) AS m
      WHERE i.dt IS NOT NULL;
      IF NOT FOUND THEN
        RAISE;
      END IF;
      RETURN;
    END;
    UPDATE conversations c SET last_seq = v_base[h.n] + h.count, lm = v_ts[h.n], last_msg_id = p_id[h.newest],
      last_msg_from = p_from[h.newest], last_msg_data = p_data[h.newest], last_msg_patch_timestamp = NULL,
      last_msg_bin = p_bin[h.newest],
      mention_all_seq = CASE WHEN h.mention_all > 0 THEN greatest(c.mention_all_seq, v_base[h.n] + h.mention_all) ELSE c.mention_all_seq END
    FROM unnest(p_conv_app_id, p_conv_cid, p_conv_count, p_conv_newest, p_conv_mention_all) WITH ORDINALITY AS h(app_id, cid, count, newest, mention_all, n)
    WHERE c.app_id = h.app_id AND c.id = h.cid AND v_base[h.n] IS NOT NULL;
    UPDATE conversation_members m SET
      read_seq = CASE WHEN k.read_rank > 0 THEN greatest(m.read_seq, v_base[k.conv] + k.read_rank) ELSE m.read_seq END,
      mention_seq = CASE WHEN k.mention_rank > 0 THEN greatest(m.mention_seq, v_base[k.conv] + k.mention_rank) ELSE m.mention_seq END
    FROM unnest(p_mark_conv, p_mark_client, p_mark_read, p_mark_mention) AS k(conv, client_id, read_rank, mention_rank)
    WHERE m.app_id = p_conv_app_id[k.conv] AND m.cid = p_conv_cid[k.conv] AND m.client_id = k.client_id AND v_base[k.conv] IS NOT NULL;
    RETURN QUERY
    SELECT 'head'::text, NULL::integer, p_conv_app_id[n], p_conv_cid[n], NULL::text, v_base[n], NULL::text, NULL::text, v_ts[n],
      NULL::text, NULL::smallint, NULL::text, NULL::smallint, NULL::bigint, NULL::smallint
    FROM generate_subscripts(p_conv_app_id, 1) AS n WHERE v_base[n] IS NOT NULL;
  END $$;
  `,
  // 5: messages keyed by an integer conversation key, as SQLite's migration
  // 14 did. Every index of messages started with two text columns (app_id,
  // cid): each append wrote them into three b-trees, and comparing them was
  // most of `_bt_doinsert`, a third of the backends' samples in the
  // persisted bench. Now a conversation has conv_key (an identity, bigint:
  // keys are never reused) and messages are keyed by (conv_key, seq); the
  // dt and time indexes lead with it too. app_id and cid stay in the rows
  // (tools, ad-hoc SQL and the patches query read them); reads by
  // conversation find its conv_key first (conversation_key below).
  //
  // Whoever inserts a message without conv_key (lc-chat migrate, the bench
  // seed, psql) gets it from the conversation by a row trigger; an insert
  // for a conversation that does not exist fails, as the foreign key did.
  // lc_append_batch passes it, and lc_append_messages (servers of version
  // 3, during an upgrade) now calls lc_append_batch.
  `
  ALTER TABLE conversations ADD COLUMN conv_key bigint GENERATED BY DEFAULT AS IDENTITY;
  CREATE UNIQUE INDEX conversations_conv_key ON conversations (conv_key);

  -- The indexes go first and are built again after the UPDATE: it writes a
  -- new version of every message, which would otherwise be inserted into
  -- each of them one row at a time (the upgrade of a million messages took
  -- 189 s that way on the loaded machine).
  SET LOCAL maintenance_work_mem = '256MB';
  ALTER TABLE messages DROP CONSTRAINT messages_pkey;
  ALTER TABLE messages DROP CONSTRAINT messages_id_key;
  DROP INDEX messages_dt;
  DROP INDEX messages_time;
  ALTER TABLE messages ADD COLUMN conv_key bigint;
  UPDATE messages m SET conv_key = c.conv_key FROM conversations c WHERE c.app_id = m.app_id AND c.id = m.cid;
  -- None should exist (deletes cascade since migration 3, by foreign key
  -- before); no read could reach one, since every read starts from its conversation.
  DELETE FROM messages WHERE conv_key IS NULL;
  ALTER TABLE messages ADD CONSTRAINT messages_pkey PRIMARY KEY (conv_key, seq);
  ALTER TABLE messages ADD CONSTRAINT messages_id_key UNIQUE (id);
  CREATE UNIQUE INDEX messages_dt ON messages (conv_key, from_peer, dt) WHERE dt IS NOT NULL;
  CREATE INDEX messages_time ON messages (conv_key, timestamp, seq);

  CREATE FUNCTION lc_message_conv_key() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    SELECT c.conv_key INTO NEW.conv_key FROM conversations c WHERE c.app_id = NEW.app_id AND c.id = NEW.cid;
    IF NEW.conv_key IS NULL THEN
      RAISE EXCEPTION 'messages: no conversation % in app %', NEW.cid, NEW.app_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER messages_conv_key BEFORE INSERT ON messages
    FOR EACH ROW WHEN (NEW.conv_key IS NULL) EXECUTE FUNCTION lc_message_conv_key();

  CREATE OR REPLACE FUNCTION lc_delete_conversation_messages() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM messages m USING gone g WHERE m.conv_key = g.conv_key;
    RETURN NULL;
  END $$;

  -- As in migration 4, with the conversations' keys read beside their
  -- last_seq, written into each message and used to find a retry's dt.
  CREATE OR REPLACE FUNCTION lc_append_batch(
    p_conv integer[], p_rank integer[], p_id text[], p_from text[], p_data text[], p_dt text[],
    p_receipt smallint[], p_mention_pids text[], p_mention_all smallint[], p_lctype integer[], p_bin smallint[],
    p_conv_app_id text[], p_conv_cid text[], p_conv_count integer[], p_conv_newest integer[], p_conv_mention_all integer[],
    p_mark_conv integer[], p_mark_client text[], p_mark_read integer[], p_mark_mention integer[], p_now bigint)
  RETURNS TABLE (kind text, ord integer, app_id text, cid text, id text, seq bigint, from_peer text, data text,
    "timestamp" bigint, dt text, receipt smallint, mention_pids text, mention_all smallint, patch_timestamp bigint, bin smallint)
  LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
  #variable_conflict use_column
  DECLARE
    v_key bigint[];
    v_base bigint[];
    v_ts bigint[];
  BEGIN
    PERFORM 1 FROM conversations c
      WHERE (c.app_id, c.id) IN (SELECT * FROM unnest(p_conv_app_id, p_conv_cid))
      ORDER BY c.app_id, c.id FOR UPDATE OF c;
    SELECT array_agg(c.conv_key ORDER BY k.n), array_agg(c.last_seq ORDER BY k.n), array_agg(greatest(p_now, coalesce(c.lm, 0)) ORDER BY k.n)
      INTO v_key, v_base, v_ts
      FROM unnest(p_conv_app_id, p_conv_cid) WITH ORDINALITY AS k(app_id, id, n)
      LEFT JOIN conversations c ON c.app_id = k.app_id AND c.id = k.id;
    BEGIN
      INSERT INTO messages (conv_key, app_id, cid, seq, id, from_peer, data, timestamp, dt, receipt, mention_pids, mention_all, lctype, bin)
      SELECT v_key[i.conv], p_conv_app_id[i.conv], p_conv_cid[i.conv], v_base[i.conv] + i.rank, i.id, i.from_peer, i.data, v_ts[i.conv], i.dt, i.receipt,
        coalesce(i.mention_pids, '[]'), i.mention_all, i.lctype, i.bin
      FROM unnest(p_conv, p_rank, p_id, p_from, p_data, p_dt, p_receipt, p_mention_pids, p_mention_all, p_lctype, p_bin)
        AS i(conv, rank, id, from_peer, data, dt, receipt, mention_pids, mention_all, lctype, bin)
      WHERE v_base[i.conv] IS NOT NULL;
    EXCEPTION WHEN unique_violation THEN
      RETURN QUERY
      SELECT 'earlier'::text, i.ord::integer, m.app_id::text, m.cid::text, m.id::text, m.seq, m.from_peer::text, m.data, m.timestamp,
        m.dt::text, m.receipt, m.mention_pids, m.mention_all, m.patch_timestamp, m.bin
      FROM unnest(p_conv, p_from, p_dt) WITH ORDINALITY AS i(conv, from_peer, dt, ord)
      CROSS JOIN LATERAL (
        SELECT * FROM messages m
        WHERE m.conv_key = v_key[i.conv] AND m.from_peer = i.from_peer AND m.dt = i.dt AND m.dt IS NOT NULL
        LIMIT 1
      ) AS m
      WHERE i.dt IS NOT NULL;
      IF NOT FOUND THEN
        RAISE;
      END IF;
      RETURN;
    END;
    UPDATE conversations c SET last_seq = v_base[h.n] + h.count, lm = v_ts[h.n], last_msg_id = p_id[h.newest],
      last_msg_from = p_from[h.newest], last_msg_data = p_data[h.newest], last_msg_patch_timestamp = NULL,
      last_msg_bin = p_bin[h.newest],
      mention_all_seq = CASE WHEN h.mention_all > 0 THEN greatest(c.mention_all_seq, v_base[h.n] + h.mention_all) ELSE c.mention_all_seq END
    FROM unnest(p_conv_app_id, p_conv_cid, p_conv_count, p_conv_newest, p_conv_mention_all) WITH ORDINALITY AS h(app_id, cid, count, newest, mention_all, n)
    WHERE c.app_id = h.app_id AND c.id = h.cid AND v_base[h.n] IS NOT NULL;
    UPDATE conversation_members m SET
      read_seq = CASE WHEN k.read_rank > 0 THEN greatest(m.read_seq, v_base[k.conv] + k.read_rank) ELSE m.read_seq END,
      mention_seq = CASE WHEN k.mention_rank > 0 THEN greatest(m.mention_seq, v_base[k.conv] + k.mention_rank) ELSE m.mention_seq END
    FROM unnest(p_mark_conv, p_mark_client, p_mark_read, p_mark_mention) AS k(conv, client_id, read_rank, mention_rank)
    WHERE m.app_id = p_conv_app_id[k.conv] AND m.cid = p_conv_cid[k.conv] AND m.client_id = k.client_id AND v_base[k.conv] IS NOT NULL;
    RETURN QUERY
    SELECT 'head'::text, NULL::integer, p_conv_app_id[n], p_conv_cid[n], NULL::text, v_base[n], NULL::text, NULL::text, v_ts[n],
      NULL::text, NULL::smallint, NULL::text, NULL::smallint, NULL::bigint, NULL::smallint
    FROM generate_subscripts(p_conv_app_id, 1) AS n WHERE v_base[n] IS NOT NULL;
  END $$;

  -- Version 3's call, for its servers during an upgrade: the same batch, by
  -- conversation index (its per-message app and cid arrays name the same).
  CREATE OR REPLACE FUNCTION lc_append_messages(
    p_app_id text[], p_cid text[], p_conv integer[], p_rank integer[], p_id text[], p_from text[], p_data text[], p_dt text[],
    p_receipt smallint[], p_mention_pids text[], p_mention_all smallint[], p_lctype integer[], p_bin smallint[],
    p_conv_app_id text[], p_conv_cid text[], p_conv_count integer[], p_conv_newest integer[], p_conv_mention_all integer[],
    p_mark_conv integer[], p_mark_client text[], p_mark_read integer[], p_mark_mention integer[], p_now bigint)
  RETURNS TABLE (kind text, ord integer, app_id text, cid text, id text, seq bigint, from_peer text, data text,
    "timestamp" bigint, dt text, receipt smallint, mention_pids text, mention_all smallint, patch_timestamp bigint, bin smallint)
  LANGUAGE sql VOLATILE AS $$
    SELECT * FROM lc_append_batch(p_conv, p_rank, p_id, p_from, p_data, p_dt, p_receipt, p_mention_pids, p_mention_all, p_lctype, p_bin,
      p_conv_app_id, p_conv_cid, p_conv_count, p_conv_newest, p_conv_mention_all, p_mark_conv, p_mark_client, p_mark_read, p_mark_mention, p_now)
  $$;
  `,
  `
  -- The query budget's clock, checked while rows are examined (as on
  -- SQLite, every 32 of them): statement_timeout alone is wall time from
  -- the statement's start and counts a backend's wait for a CPU or a lock,
  -- so on a busy database it refused lookups of one conversation by id.
  -- Over max_ms it aborts with SQLSTATE LC002. lc_tick(bigint) stays for
  -- servers of the version before, during an upgrade.
  CREATE FUNCTION lc_tick(max_rows bigint, max_ms double precision) RETURNS boolean LANGUAGE plpgsql VOLATILE COST 1 AS $$
  DECLARE
    n bigint := coalesce(nullif(current_setting('lc.rows', true), ''), '0')::bigint + 1;
  BEGIN
    PERFORM set_config('lc.rows', n::text, true);
    IF n > max_rows THEN
      RAISE EXCEPTION 'query examines more than % rows', max_rows USING ERRCODE = 'LC001';
    END IF;
    IF n % 32 = 0 AND extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000 > max_ms THEN
      RAISE EXCEPTION 'query runs longer than % ms', max_ms USING ERRCODE = 'LC002';
    END IF;
    RETURN true;
  END $$;
  `,
  // 7: broker backlogs (broker/redis/backlog-ledger.ts). A node whose link
  // to Redis is down keeps acking messages and holds their publications
  // for the other nodes in memory; while it does, it keeps one row here
  // (written when the backlog starts, beaten while it lasts, deleted once
  // it is sent), so that if it dies holding them another node announces
  // the gap on its behalf. Times are this database's clock, which every
  // node shares (theirs need not agree).
  `
  CREATE TABLE broker_backlog (
    node_id text COLLATE "C" PRIMARY KEY,
    since   bigint NOT NULL,
    beat_at bigint NOT NULL
  );
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
