/**
 * Numbered schema migrations. The file records the last one applied in `PRAGMA user_version`;
 * every pending migration runs inside one transaction, so a crash leaves the old schema intact.
 * Append new migrations at the end; never edit one that has shipped.
 */
export interface Migration {
  version: number
  name: string
  sql: string
}

/*
 * Migration 3: the patient name index (search lives in src/main/search). Two contentless FTS5 tables
 * fed by triggers, so every writer of `patients` keeps them in step without knowing they exist:
 *
 * - `patient_names` (family, given): each name word plus the name with its separators removed, so
 *   "O'Brien" is found by "o brien", "obrien" and "brien", and "Jones-Smith" by "jonessmith".
 *   Used for MATCH with prefix queries; prefix indexes cover what is typed keystroke by keystroke.
 * - `patient_name_keys`: one sort key per patient and name word (`1` surname, `2` later surname
 *   words, `3` given-name words), each followed by `surname0given0yyyymmdd`. Read in term order
 *   through the fts5vocab table `patient_name_terms`, a prefix becomes a range scan that is already
 *   alphabetical, so the first 50 of 40,000 "s" matches cost 50 rows instead of a sort of 40,000.
 *
 * The tokenizer folds case and diacritics (Zoë → zoe); the few letters it leaves alone (Ł, ø, ß…)
 * and the punctuation inside names are rewritten here first. Keep this SQL frozen once shipped:
 * a change belongs in a new migration that drops and rebuilds the index.
 */
function patientNameIndexSql(): string {
  return `
    CREATE VIRTUAL TABLE patient_names USING fts5(
      family, given,
      tokenize = "unicode61 remove_diacritics 2",
      prefix = '1 2 3 4',
      detail = column,
      content = '', contentless_delete = 1
    );
    CREATE VIRTUAL TABLE patient_name_keys USING fts5(
      keys,
      tokenize = "unicode61 remove_diacritics 2",
      detail = none,
      content = '', contentless_delete = 1
    );
    CREATE VIRTUAL TABLE patient_name_terms USING fts5vocab(patient_name_keys, instance);

    CREATE TRIGGER patients_name_index_insert AFTER INSERT ON patients BEGIN
      ${nameIndexInsert('new')}
    END;
    CREATE TRIGGER patients_name_index_delete AFTER DELETE ON patients BEGIN
      DELETE FROM patient_names WHERE rowid = old.rowid;
      DELETE FROM patient_name_keys WHERE rowid = old.rowid;
    END;
    CREATE TRIGGER patients_name_index_update AFTER UPDATE OF given_name, family_name, birth_date ON patients
    WHEN old.given_name IS NOT new.given_name OR old.family_name IS NOT new.family_name
      OR old.birth_date IS NOT new.birth_date OR old.rowid IS NOT new.rowid
    BEGIN
      DELETE FROM patient_names WHERE rowid = old.rowid;
      DELETE FROM patient_name_keys WHERE rowid = old.rowid;
      ${nameIndexInsert('new')}
    END;

    ${patientNameIndexRebuildSql}
  `
}

/** Letters the unicode61 tokenizer does not fold by itself. */
const NAME_FOLDS: [string, string][] = [
  ['ß', 'ss'],
  ['ẞ', 'ss'],
  ['ı', 'i'],
  ['Æ', 'ae'],
  ['æ', 'ae'],
  ['Ø', 'o'],
  ['ø', 'o'],
  ['Þ', 'th'],
  ['þ', 'th'],
  ['Ð', 'd'],
  ['ð', 'd'],
  ['Đ', 'd'],
  ['đ', 'd'],
  ['Ł', 'l'],
  ['ł', 'l'],
  ['Œ', 'oe'],
  ['œ', 'oe'],
]
/** Punctuation seen inside names; each becomes a word break. */
const NAME_SEPARATORS = [
  '-',
  "'",
  '’',
  '‘',
  '`',
  '´',
  '.',
  ',',
  '‐',
  '‑',
  '–',
  '—',
  '_',
  '/',
  '(',
  ')',
  '"',
  '\t',
]

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`

/** SQL for a name with folds applied, separators turned into single spaces, trimmed. */
function normalisedName(column: string): string {
  let expr = column
  for (const [from, to] of NAME_FOLDS) expr = `replace(${expr}, ${sqlString(from)}, ${sqlString(to)})`
  for (const sep of NAME_SEPARATORS) expr = `replace(${expr}, ${sqlString(sep)}, ' ')`
  return `trim(replace(replace(replace(${expr}, '  ', ' '), '  ', ' '), '  ', ' '))`
}

/** The two index inserts for one patient row (`row` is `new` in a trigger, or `patients` with its FROM). */
function nameIndexInsert(row: string, from = ''): string {
  const names = `SELECT ${row}.rowid AS rid, ${normalisedName(`${row}.family_name`)} AS f,
      ${normalisedName(`${row}.given_name`)} AS g, replace(${row}.birth_date, '-', '') AS d ${from}`
  return `
      INSERT INTO patient_names (rowid, family, given)
      SELECT rid, f || ' ' || replace(f, ' ', ''), g || ' ' || replace(g, ' ', '') FROM (${names});
      INSERT INTO patient_name_keys (rowid, keys)
      SELECT rid,
        '1' || s
        || CASE WHEN instr(f, ' ') > 0
             THEN ' 2' || replace(substr(f, instr(f, ' ') + 1), ' ', '0' || s || ' 2') || '0' || s ELSE '' END
        || ' 3' || replace(g, ' ', '0' || s || ' 3') || '0' || s
        || CASE WHEN instr(g, ' ') > 0 THEN ' 3' || replace(g, ' ', '') || '0' || s ELSE '' END
      FROM (SELECT rid, f, g, replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d AS s FROM (${names}));`
}

/**
 * Re-indexes every patient. The index follows patients by rowid, which VACUUM may renumber on a
 * table without an INTEGER PRIMARY KEY: run this after a VACUUM (the search module exports it).
 */
export const patientNameIndexRebuildSql = `
    DELETE FROM patient_names;
    DELETE FROM patient_name_keys;
    ${nameIndexInsert('patients', 'FROM patients')}
`

/*
 * Migration 5: every stored instant in the one canonical form (src/shared/instant.ts), UTC with
 * milliseconds, so the day book and the clash check compare times, not texts. Earlier versions
 * stored booked and rescheduled times as typed (`2027-10-30T23:30:00+01:00`). SQLite's strftime
 * reads an offset or Z and answers in UTC; a value it cannot read is left as it was.
 */
function canonicalInstantsSql(): string {
  const utc = (v: string) => `coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', ${v}), ${v})`
  const inJson = (column: string, path: string) =>
    `${column} = CASE WHEN json_valid(${column}) AND json_type(${column}, '${path}') = 'text'
       THEN json_set(${column}, '${path}', ${utc(`json_extract(${column}, '${path}')`)}) ELSE ${column} END`
  return `
    UPDATE appointments SET start = ${utc('start')} WHERE start IS NOT NULL;
    UPDATE appointments SET end = ${utc('end')} WHERE end IS NOT NULL;
    -- Free slots are a short-lived copy: dropped rather than rewritten into key collisions.
    DELETE FROM slots;
    UPDATE outbox SET ${inJson('payload', '$.start')};
    UPDATE outbox SET ${inJson('payload', '$.end')};
    UPDATE outbox SET ${inJson('undo', '$.before.start')} WHERE undo IS NOT NULL;
    UPDATE outbox SET ${inJson('undo', '$.before.end')} WHERE undo IS NOT NULL;
  `
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'settings and connections',
    sql: `
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TABLE connections (
        id         TEXT PRIMARY KEY,
        vendor     TEXT NOT NULL CHECK (vendor IN ('semble', 'healthie', 'hero', 'heim')),
        label      TEXT NOT NULL,
        base_url   TEXT NOT NULL,
        time_zone  TEXT NOT NULL,
        locale     TEXT NOT NULL DEFAULT 'en-GB',
        options    TEXT NOT NULL DEFAULT '{}',
        demo       INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
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
  },
  {
    version: 3,
    name: 'patient name search index',
    sql: patientNameIndexSql(),
  },
  {
    version: 4,
    name: "appointments remember their patient's vendor id",
    // The day book can show an appointment before its patient is in the cache, and link the two
    // as soon as the patient arrives, without fetching patients one by one on the way.
    sql: `
      ALTER TABLE appointments ADD COLUMN patient_ref TEXT;
      UPDATE appointments SET patient_ref = (SELECT ref FROM patients WHERE patients.id = appointments.patient_id);
      CREATE INDEX appointments_patient_ref ON appointments (connection_id, patient_ref);
    `,
  },
  {
    version: 5,
    name: 'instants in one UTC form',
    sql: canonicalInstantsSql(),
  },
]

export const latestSchemaVersion = (list: Migration[] = migrations) => list.at(-1)?.version ?? 0
