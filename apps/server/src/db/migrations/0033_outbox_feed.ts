import type { Kysely } from 'kysely';
import { runScript } from '../script.ts';

// The partner pull feed in commit order (issue 5). Outbox ids come from a sequence at insert time,
// so a transaction can commit a lower id after a reader has paged past it. The webhook relay, one
// at a time (advisory lock), gives each status change a feed_seq as it publishes it: a row gets its
// number only once it is committed and visible, so the numbers a reader sees only ever grow.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE SEQUENCE outbox_feed_seq;
    ALTER TABLE outbox ADD COLUMN feed_seq bigint;
    -- Rows already published keep their id as number (cursors handed out before stay valid);
    -- unpublished ones are numbered by the relay, after every existing cursor.
    UPDATE outbox SET feed_seq = id WHERE published_at IS NOT NULL AND topic = 'parcel.status_changed';
    SELECT setval('outbox_feed_seq', (SELECT COALESCE(max(id), 0) + 1 FROM outbox), false);
    CREATE UNIQUE INDEX outbox_feed_idx ON outbox (partner_code, feed_seq) WHERE feed_seq IS NOT NULL;
    -- The relay takes only its own topic: other topics are left for their own consumers.
    DROP INDEX outbox_pending_idx;
    CREATE INDEX outbox_pending_idx ON outbox (topic, id) WHERE published_at IS NULL;
  `);
}
