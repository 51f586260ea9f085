import type { Migration } from './migration'

/*
 * Migration 5: every stored instant in the one canonical form (src/shared/instant.ts), UTC with
 * milliseconds, so the day book and the clash check compare times, not texts. Earlier versions
 * stored booked and rescheduled times as typed (`2027-10-30T23:30:00+01:00`). SQLite's strftime
 * reads an offset or Z and answers in UTC; a value it cannot read is left as it was. Written out as
 * shipped (no helper).
 */
export const migration0005: Migration = {
  version: 5,
  name: 'instants in one UTC form',
  sql: `
    UPDATE appointments SET start = coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', start), start) WHERE start IS NOT NULL;
    UPDATE appointments SET end = coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', end), end) WHERE end IS NOT NULL;
    -- Free slots are a short-lived copy: dropped rather than rewritten into key collisions.
    DELETE FROM slots;
    UPDATE outbox SET payload = CASE WHEN json_valid(payload) AND json_type(payload, '$.start') = 'text'
       THEN json_set(payload, '$.start', coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(payload, '$.start')), json_extract(payload, '$.start'))) ELSE payload END;
    UPDATE outbox SET payload = CASE WHEN json_valid(payload) AND json_type(payload, '$.end') = 'text'
       THEN json_set(payload, '$.end', coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(payload, '$.end')), json_extract(payload, '$.end'))) ELSE payload END;
    UPDATE outbox SET undo = CASE WHEN json_valid(undo) AND json_type(undo, '$.before.start') = 'text'
       THEN json_set(undo, '$.before.start', coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(undo, '$.before.start')), json_extract(undo, '$.before.start'))) ELSE undo END WHERE undo IS NOT NULL;
    UPDATE outbox SET undo = CASE WHEN json_valid(undo) AND json_type(undo, '$.before.end') = 'text'
       THEN json_set(undo, '$.before.end', coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(undo, '$.before.end')), json_extract(undo, '$.before.end'))) ELSE undo END WHERE undo IS NOT NULL;
  `,
}
