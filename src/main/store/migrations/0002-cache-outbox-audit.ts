import type { Migration } from './migration'

/** Migration 2: the local cache of each connection, the outbox, the id map and the audit log. */
export const migration0002: Migration = {
  version: 2,
  name: 'cache, outbox, id map and audit log',
  sql: `
      -- The local cache of each connection. Local ids are ours (UUIDs); ref is the vendor's id,
      -- null until a create made here has reached the vendor.
      CREATE TABLE patients (
        id           TEXT PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        ref          TEXT,
        given_name   TEXT NOT NULL,
        family_name  TEXT NOT NULL,
        birth_date   TEXT NOT NULL,
        nhs_number   TEXT,
        phone        TEXT,
        email        TEXT,
        postcode     TEXT,
        -- Upper-case, no spaces: what postcode search compares against.
        postcode_key TEXT GENERATED ALWAYS AS (upper(replace(postcode, ' ', ''))) VIRTUAL,
        updated_at   TEXT,
        fetched_at   TEXT NOT NULL,
        UNIQUE (connection_id, ref)
      ) STRICT;
      CREATE INDEX patients_nhs ON patients (nhs_number) WHERE nhs_number IS NOT NULL;
      CREATE INDEX patients_birth ON patients (birth_date);
      CREATE INDEX patients_phone ON patients (phone) WHERE phone IS NOT NULL;
      CREATE INDEX patients_postcode ON patients (postcode_key) WHERE postcode IS NOT NULL;
      CREATE INDEX patients_family ON patients (family_name COLLATE NOCASE);

      CREATE TABLE practitioners (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        ref          TEXT NOT NULL,
        name         TEXT NOT NULL,
        fetched_at   TEXT NOT NULL,
        PRIMARY KEY (connection_id, ref)
      ) STRICT;
      CREATE TABLE locations (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        ref          TEXT NOT NULL,
        name         TEXT NOT NULL,
        postcode     TEXT,
        fetched_at   TEXT NOT NULL,
        PRIMARY KEY (connection_id, ref)
      ) STRICT;
      CREATE TABLE appointment_types (
        connection_id  TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        ref            TEXT NOT NULL,
        name           TEXT NOT NULL,
        length_minutes INTEGER NOT NULL CHECK (length_minutes > 0),
        fetched_at     TEXT NOT NULL,
        PRIMARY KEY (connection_id, ref)
      ) STRICT;

      CREATE TABLE appointments (
        id              TEXT PRIMARY KEY,
        connection_id   TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        ref             TEXT,
        patient_id      TEXT REFERENCES patients(id) ON DELETE SET NULL,
        practitioner_ref TEXT,
        appointment_type_ref TEXT,
        location_ref    TEXT,
        start           TEXT,
        end             TEXT,
        status          TEXT NOT NULL CHECK (status IN
                          ('proposed','pending','booked','arrived','checked-in','fulfilled','cancelled','noshow')),
        vendor_status   TEXT,
        note            TEXT,
        client_ref      TEXT,
        updated_at      TEXT,
        fetched_at      TEXT NOT NULL,
        UNIQUE (connection_id, ref)
      ) STRICT;
      CREATE INDEX appointments_day ON appointments (connection_id, start);
      CREATE INDEX appointments_patient ON appointments (patient_id, start);

      CREATE TABLE slots (
        connection_id   TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        start           TEXT NOT NULL,
        end             TEXT NOT NULL,
        practitioner_ref TEXT NOT NULL DEFAULT '',
        appointment_type_ref TEXT NOT NULL DEFAULT '',
        location_ref    TEXT NOT NULL DEFAULT '',
        token           TEXT,
        fetched_at      TEXT NOT NULL,
        PRIMARY KEY (connection_id, start, practitioner_ref, appointment_type_ref, location_ref)
      ) STRICT;

      -- The outbox: every write a receptionist makes, sent later in order, exactly once.
      CREATE TABLE outbox (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        connection_id   TEXT NOT NULL REFERENCES connections(id),
        entity_key      TEXT NOT NULL,
        kind            TEXT NOT NULL,
        payload         TEXT NOT NULL,
        client_ref      TEXT NOT NULL UNIQUE,
        state           TEXT NOT NULL CHECK (state IN ('pending','sending','done','needs-attention','discarded')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error      TEXT,
        undo            TEXT,
        actor           TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX outbox_work ON outbox (connection_id, state, next_attempt_at);
      CREATE INDEX outbox_entity ON outbox (connection_id, entity_key, seq);

      -- Local id to vendor id, once a create lands; queued rows naming the local id are rewritten.
      CREATE TABLE id_map (
        connection_id TEXT NOT NULL REFERENCES connections(id),
        entity        TEXT NOT NULL,
        local_id      TEXT NOT NULL,
        ref           TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        PRIMARY KEY (connection_id, entity, local_id)
      ) STRICT;

      CREATE TABLE audit_log (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        at            TEXT NOT NULL,
        actor         TEXT NOT NULL,
        connection_id TEXT,
        entity        TEXT,
        entity_id     TEXT,
        action        TEXT NOT NULL,
        change        TEXT,
        outcome       TEXT NOT NULL,
        detail        TEXT
      ) STRICT;
      CREATE INDEX audit_by_time ON audit_log (at);

      CREATE TABLE connection_state (
        connection_id   TEXT PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
        online          INTEGER NOT NULL DEFAULT 1,
        since           TEXT NOT NULL,
        last_success_at TEXT,
        last_error      TEXT
      ) STRICT;
    `,
}
