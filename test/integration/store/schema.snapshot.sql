-- Frontdesk store schema, version 14

-- index appointments_day
CREATE INDEX appointments_day ON appointments (connection_id, start);

-- index appointments_fetched
CREATE INDEX appointments_fetched ON appointments (connection_id, fetched_at);

-- index appointments_patient
CREATE INDEX appointments_patient ON appointments (patient_id, start);

-- index appointments_patient_ref
CREATE INDEX appointments_patient_ref ON appointments (connection_id, patient_ref);

-- index audit_by_outbox_seq
CREATE INDEX audit_by_outbox_seq ON audit_log (outbox_seq) WHERE outbox_seq IS NOT NULL;

-- index audit_by_time
CREATE INDEX audit_by_time ON audit_log (at);

-- index outbox_entity
CREATE INDEX outbox_entity ON outbox (connection_id, entity_key, seq);

-- index outbox_work
CREATE INDEX outbox_work ON outbox (connection_id, state, next_attempt_at);

-- index patients_birth
CREATE INDEX patients_birth ON patients (birth_date);

-- index patients_family
CREATE INDEX patients_family ON patients (family_name COLLATE NOCASE);

-- index patients_gone
CREATE INDEX patients_gone ON patients (gone_at) WHERE gone_at IS NOT NULL;

-- index patients_nhs
CREATE INDEX patients_nhs ON patients (nhs_number) WHERE nhs_number IS NOT NULL;

-- index patients_phone
CREATE INDEX patients_phone ON patients (phone) WHERE phone IS NOT NULL;

-- index patients_postcode
CREATE INDEX patients_postcode ON patients (postcode_key) WHERE postcode IS NOT NULL;

-- index slot_cache_by_start
CREATE INDEX slot_cache_by_start ON slot_cache (connection_id, appointment_type_ref, start);

-- table appointment_types
CREATE TABLE appointment_types (
        connection_id  TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        ref            TEXT NOT NULL,
        name           TEXT NOT NULL,
        length_minutes INTEGER NOT NULL CHECK (length_minutes > 0),
        fetched_at     TEXT NOT NULL,
        PRIMARY KEY (connection_id, ref)
      ) STRICT;

-- table appointments
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
        fetched_at      TEXT NOT NULL, patient_ref TEXT, arrived_at TEXT
        CHECK (arrived_at IS NULL OR arrived_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'),
        UNIQUE (connection_id, ref)
      ) STRICT;

-- table audit_log
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
      , outbox_seq INTEGER) STRICT;

-- table connection_state
CREATE TABLE connection_state (
        connection_id   TEXT PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
        online          INTEGER NOT NULL DEFAULT 1,
        since           TEXT NOT NULL,
        last_success_at TEXT,
        last_error      TEXT
      ) STRICT;

-- table connections
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

-- table id_map
CREATE TABLE id_map (
        connection_id TEXT NOT NULL REFERENCES connections(id),
        entity        TEXT NOT NULL,
        local_id      TEXT NOT NULL,
        ref           TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        PRIMARY KEY (connection_id, entity, local_id)
      ) STRICT;

-- table locations
CREATE TABLE locations (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        ref          TEXT NOT NULL,
        name         TEXT NOT NULL,
        postcode     TEXT,
        fetched_at   TEXT NOT NULL,
        PRIMARY KEY (connection_id, ref)
      ) STRICT;

-- table outbox
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

-- table patient_name_keys
CREATE VIRTUAL TABLE patient_name_keys USING fts5(
      keys,
      tokenize = "unicode61 remove_diacritics 2",
      detail = none,
      content = '', contentless_delete = 1
    );

-- table patient_name_keys_config
CREATE TABLE 'patient_name_keys_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table patient_name_keys_data
CREATE TABLE 'patient_name_keys_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table patient_name_keys_docsize
CREATE TABLE 'patient_name_keys_docsize'(id INTEGER PRIMARY KEY, sz BLOB, origin INTEGER);

-- table patient_name_keys_idx
CREATE TABLE 'patient_name_keys_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table patient_name_terms
CREATE VIRTUAL TABLE patient_name_terms USING fts5vocab(patient_name_keys, instance);

-- table patient_name_vocab
CREATE VIRTUAL TABLE patient_name_vocab USING fts5vocab(patient_name_words, row);

-- table patient_name_words
CREATE VIRTUAL TABLE patient_name_words USING fts5(
      words,
      tokenize = "unicode61 remove_diacritics 2",
      detail = none,
      content = '', contentless_delete = 1
    );

-- table patient_name_words_config
CREATE TABLE 'patient_name_words_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table patient_name_words_data
CREATE TABLE 'patient_name_words_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table patient_name_words_docsize
CREATE TABLE 'patient_name_words_docsize'(id INTEGER PRIMARY KEY, sz BLOB, origin INTEGER);

-- table patient_name_words_idx
CREATE TABLE 'patient_name_words_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table patient_name_words_version
CREATE TABLE patient_name_words_version (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      version INTEGER NOT NULL
    ) STRICT;

-- table patient_names
CREATE VIRTUAL TABLE patient_names USING fts5(
      family, given,
      tokenize = "unicode61 remove_diacritics 2",
      prefix = '1 2 3 4',
      detail = column,
      content = '', contentless_delete = 1
    );

-- table patient_names_config
CREATE TABLE 'patient_names_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table patient_names_data
CREATE TABLE 'patient_names_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table patient_names_docsize
CREATE TABLE 'patient_names_docsize'(id INTEGER PRIMARY KEY, sz BLOB, origin INTEGER);

-- table patient_names_idx
CREATE TABLE 'patient_names_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table patient_search_rows
CREATE TABLE patient_search_rows (
      k             TEXT NOT NULL,
      rid           INTEGER NOT NULL,
      id            TEXT NOT NULL,
      connection_id TEXT NOT NULL,
      ref           TEXT,
      given_name    TEXT NOT NULL,
      family_name   TEXT NOT NULL,
      birth_date    TEXT NOT NULL,
      nhs_number    TEXT,
      phone         TEXT,
      postcode      TEXT,
      PRIMARY KEY (k, rid)
    ) STRICT, WITHOUT ROWID;

-- table patients
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
        fetched_at   TEXT NOT NULL, missed_passes INTEGER NOT NULL DEFAULT 0 CHECK (missed_passes >= 0), gone_at TEXT
        CHECK (gone_at IS NULL OR gone_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'),
        UNIQUE (connection_id, ref)
      ) STRICT;

-- table patients_gone_version
CREATE TABLE patients_gone_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL
      ) STRICT;

-- table practitioners
CREATE TABLE practitioners (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        ref          TEXT NOT NULL,
        name         TEXT NOT NULL,
        fetched_at   TEXT NOT NULL, role TEXT, appointment_type_refs TEXT
        CHECK (appointment_type_refs IS NULL OR json_type(appointment_type_refs) = 'array'),
        PRIMARY KEY (connection_id, ref)
      ) STRICT;

-- table settings
CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

-- table slot_cache
CREATE TABLE slot_cache (
        connection_id        TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        appointment_type_ref TEXT NOT NULL,
        practitioner_ref     TEXT NOT NULL,
        location_ref         TEXT NOT NULL,
        start                TEXT NOT NULL,
        end                  TEXT NOT NULL,
        token                TEXT,
        fetched_at           TEXT NOT NULL,
        PRIMARY KEY (connection_id, appointment_type_ref, practitioner_ref, location_ref, start)
      ) STRICT;

-- table slot_coverage
CREATE TABLE slot_coverage (
        connection_id        TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        appointment_type_ref TEXT NOT NULL,
        practitioner_ref     TEXT NOT NULL,
        location_ref         TEXT NOT NULL,
        range_start          TEXT NOT NULL,
        range_end            TEXT NOT NULL,
        fetched_at           TEXT NOT NULL,
        PRIMARY KEY (connection_id, appointment_type_ref, practitioner_ref, location_ref, range_start)
      ) STRICT;

-- table slots
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

-- table sqlite_sequence
CREATE TABLE sqlite_sequence(name,seq);

-- table staff
CREATE TABLE staff (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 80),
        pin_salt BLOB NOT NULL CHECK (length(pin_salt) = 16),
        pin_hash BLOB NOT NULL CHECK (length(pin_hash) = 32),
        created_at TEXT NOT NULL
      ) STRICT;

-- trigger patients_gone_delete
CREATE TRIGGER patients_gone_delete AFTER DELETE ON patients
      WHEN old.gone_at IS NOT NULL
      BEGIN
        UPDATE patients_gone_version SET version = version + 1;
      END;

-- trigger patients_gone_update
CREATE TRIGGER patients_gone_update AFTER UPDATE OF gone_at ON patients
      WHEN old.gone_at IS NOT new.gone_at
      BEGIN
        UPDATE patients_gone_version SET version = version + 1;
      END;

-- trigger patients_name_index_delete
CREATE TRIGGER patients_name_index_delete AFTER DELETE ON patients BEGIN
      DELETE FROM patient_names WHERE rowid = old.rowid;
      DELETE FROM patient_name_keys WHERE rowid = old.rowid;
    END;

-- trigger patients_name_index_insert
CREATE TRIGGER patients_name_index_insert AFTER INSERT ON patients BEGIN
      
      INSERT INTO patient_names (rowid, family, given)
      SELECT rid, f || ' ' || replace(f, ' ', ''), g || ' ' || replace(g, ' ', '') FROM (SELECT new.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(new.birth_date, '-', '') AS d );
      INSERT INTO patient_name_keys (rowid, keys)
      SELECT rid,
        '1' || s
        || CASE WHEN instr(f, ' ') > 0
             THEN ' 2' || replace(substr(f, instr(f, ' ') + 1), ' ', '0' || s || ' 2') || '0' || s ELSE '' END
        || ' 3' || replace(g, ' ', '0' || s || ' 3') || '0' || s
        || CASE WHEN instr(g, ' ') > 0 THEN ' 3' || replace(g, ' ', '') || '0' || s ELSE '' END
      FROM (SELECT rid, f, g, replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d AS s FROM (SELECT new.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(new.birth_date, '-', '') AS d ));
    END;

-- trigger patients_name_index_update
CREATE TRIGGER patients_name_index_update AFTER UPDATE OF given_name, family_name, birth_date ON patients
    WHEN old.given_name IS NOT new.given_name OR old.family_name IS NOT new.family_name
      OR old.birth_date IS NOT new.birth_date OR old.rowid IS NOT new.rowid
    BEGIN
      DELETE FROM patient_names WHERE rowid = old.rowid;
      DELETE FROM patient_name_keys WHERE rowid = old.rowid;
      
      INSERT INTO patient_names (rowid, family, given)
      SELECT rid, f || ' ' || replace(f, ' ', ''), g || ' ' || replace(g, ' ', '') FROM (SELECT new.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(new.birth_date, '-', '') AS d );
      INSERT INTO patient_name_keys (rowid, keys)
      SELECT rid,
        '1' || s
        || CASE WHEN instr(f, ' ') > 0
             THEN ' 2' || replace(substr(f, instr(f, ' ') + 1), ' ', '0' || s || ' 2') || '0' || s ELSE '' END
        || ' 3' || replace(g, ' ', '0' || s || ' 3') || '0' || s
        || CASE WHEN instr(g, ' ') > 0 THEN ' 3' || replace(g, ' ', '') || '0' || s ELSE '' END
      FROM (SELECT rid, f, g, replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d AS s FROM (SELECT new.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(new.birth_date, '-', '') AS d ));
    END;

-- trigger patients_name_words_delete
CREATE TRIGGER patients_name_words_delete AFTER DELETE ON patients BEGIN
      DELETE FROM patient_name_words WHERE rowid = old.rowid;
      UPDATE patient_name_words_version SET version = version + 1;
    END;

-- trigger patients_name_words_insert
CREATE TRIGGER patients_name_words_insert AFTER INSERT ON patients BEGIN
      
      INSERT INTO patient_name_words (rowid, words)
      SELECT rid,
        '1' || replace(f, ' ', '')
        || CASE WHEN instr(f, ' ') > 0 THEN ' 2' || replace(substr(f, instr(f, ' ') + 1), ' ', ' 2') ELSE '' END
        || ' 3' || replace(g, ' ', ' 3')
        || CASE WHEN instr(g, ' ') > 0 THEN ' 3' || replace(g, ' ', '') ELSE '' END
      FROM (SELECT new.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(new.birth_date, '-', '') AS d );
      UPDATE patient_name_words_version SET version = version + 1;
    END;

-- trigger patients_name_words_update
CREATE TRIGGER patients_name_words_update AFTER UPDATE OF given_name, family_name ON patients
    WHEN old.given_name IS NOT new.given_name OR old.family_name IS NOT new.family_name
      OR old.rowid IS NOT new.rowid
    BEGIN
      DELETE FROM patient_name_words WHERE rowid = old.rowid;
      
      INSERT INTO patient_name_words (rowid, words)
      SELECT rid,
        '1' || replace(f, ' ', '')
        || CASE WHEN instr(f, ' ') > 0 THEN ' 2' || replace(substr(f, instr(f, ' ') + 1), ' ', ' 2') ELSE '' END
        || ' 3' || replace(g, ' ', ' 3')
        || CASE WHEN instr(g, ' ') > 0 THEN ' 3' || replace(g, ' ', '') ELSE '' END
      FROM (SELECT new.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(new.birth_date, '-', '') AS d );
      UPDATE patient_name_words_version SET version = version + 1;
    END;

-- trigger patients_search_row_delete
CREATE TRIGGER patients_search_row_delete AFTER DELETE ON patients BEGIN
      DELETE FROM patient_search_rows WHERE rid = old.rowid
      AND k = (SELECT lower(CASE WHEN replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d GLOB '*[^ -~]*' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d, 'À', 'a'), 'Á', 'a'), 'Â', 'a'), 'Ã', 'a'), 'Ä', 'a'), 'Å', 'a'), 'Æ', 'ae'), 'Ç', 'c'), 'È', 'e'), 'É', 'e'), 'Ê', 'e'), 'Ë', 'e'), 'Ì', 'i'), 'Í', 'i'), 'Î', 'i'), 'Ï', 'i'), 'Ð', 'd'), 'Ñ', 'n'), 'Ò', 'o'), 'Ó', 'o'), 'Ô', 'o'), 'Õ', 'o'), 'Ö', 'o'), 'Ø', 'o'), 'Ù', 'u'), 'Ú', 'u'), 'Û', 'u'), 'Ü', 'u'), 'Ý', 'y'), 'Þ', 'th'), 'ß', 'ss'), 'à', 'a'), 'á', 'a'), 'â', 'a'), 'ã', 'a'), 'ä', 'a'), 'å', 'a'), 'æ', 'ae'), 'ç', 'c'), 'è', 'e'), 'é', 'e'), 'ê', 'e'), 'ë', 'e'), 'ì', 'i'), 'í', 'i'), 'î', 'i'), 'ï', 'i'), 'ð', 'd'), 'ñ', 'n'), 'ò', 'o'), 'ó', 'o'), 'ô', 'o'), 'õ', 'o'), 'ö', 'o'), 'ø', 'o'), 'ù', 'u'), 'ú', 'u'), 'û', 'u'), 'ü', 'u'), 'ý', 'y'), 'þ', 'th'), 'ÿ', 'y'), 'Ā', 'a'), 'ā', 'a'), 'Ă', 'a'), 'ă', 'a'), 'Ą', 'a'), 'ą', 'a'), 'Ć', 'c'), 'ć', 'c'), 'Ĉ', 'c'), 'ĉ', 'c'), 'Ċ', 'c'), 'ċ', 'c'), 'Č', 'c'), 'č', 'c'), 'Ď', 'd'), 'ď', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ē', 'e'), 'ē', 'e'), 'Ĕ', 'e'), 'ĕ', 'e'), 'Ė', 'e'), 'ė', 'e'), 'Ę', 'e'), 'ę', 'e'), 'Ě', 'e'), 'ě', 'e'), 'Ĝ', 'g'), 'ĝ', 'g'), 'Ğ', 'g'), 'ğ', 'g'), 'Ġ', 'g'), 'ġ', 'g'), 'Ģ', 'g'), 'ģ', 'g'), 'Ĥ', 'h'), 'ĥ', 'h'), 'Ĩ', 'i'), 'ĩ', 'i'), 'Ī', 'i'), 'ī', 'i'), 'Ĭ', 'i'), 'ĭ', 'i'), 'Į', 'i'), 'į', 'i'), 'İ', 'i'), 'ı', 'i'), 'Ĳ', 'ij'), 'ĳ', 'ij'), 'Ĵ', 'j'), 'ĵ', 'j'), 'Ķ', 'k'), 'ķ', 'k'), 'Ĺ', 'l'), 'ĺ', 'l'), 'Ļ', 'l'), 'ļ', 'l'), 'Ľ', 'l'), 'ľ', 'l'), 'Ł', 'l'), 'ł', 'l'), 'Ń', 'n'), 'ń', 'n'), 'Ņ', 'n'), 'ņ', 'n'), 'Ň', 'n'), 'ň', 'n'), 'Ō', 'o'), 'ō', 'o'), 'Ŏ', 'o'), 'ŏ', 'o'), 'Ő', 'o'), 'ő', 'o'), 'Œ', 'oe'), 'œ', 'oe'), 'Ŕ', 'r'), 'ŕ', 'r'), 'Ŗ', 'r'), 'ŗ', 'r'), 'Ř', 'r'), 'ř', 'r'), 'Ś', 's'), 'ś', 's'), 'Ŝ', 's'), 'ŝ', 's'), 'Ş', 's'), 'ş', 's'), 'Š', 's'), 'š', 's'), 'Ţ', 't'), 'ţ', 't'), 'Ť', 't'), 'ť', 't'), 'Ũ', 'u'), 'ũ', 'u'), 'Ū', 'u'), 'ū', 'u'), 'Ŭ', 'u'), 'ŭ', 'u'), 'Ů', 'u'), 'ů', 'u'), 'Ű', 'u'), 'ű', 'u'), 'Ų', 'u'), 'ų', 'u'), 'Ŵ', 'w'), 'ŵ', 'w'), 'Ŷ', 'y'), 'ŷ', 'y'), 'Ÿ', 'y'), 'Ź', 'z'), 'ź', 'z'), 'Ż', 'z'), 'ż', 'z'), 'Ž', 'z'), 'ž', 'z'), 'ſ', 's') ELSE replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d END) FROM (SELECT old.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(old.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(old.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(old.birth_date, '-', '') AS d ));
    END;

-- trigger patients_search_row_insert
CREATE TRIGGER patients_search_row_insert AFTER INSERT ON patients BEGIN
      INSERT INTO patient_search_rows (k, rid, id, connection_id, ref, given_name, family_name, birth_date, nhs_number, phone, postcode)
      SELECT lower(CASE WHEN replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d GLOB '*[^ -~]*' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d, 'À', 'a'), 'Á', 'a'), 'Â', 'a'), 'Ã', 'a'), 'Ä', 'a'), 'Å', 'a'), 'Æ', 'ae'), 'Ç', 'c'), 'È', 'e'), 'É', 'e'), 'Ê', 'e'), 'Ë', 'e'), 'Ì', 'i'), 'Í', 'i'), 'Î', 'i'), 'Ï', 'i'), 'Ð', 'd'), 'Ñ', 'n'), 'Ò', 'o'), 'Ó', 'o'), 'Ô', 'o'), 'Õ', 'o'), 'Ö', 'o'), 'Ø', 'o'), 'Ù', 'u'), 'Ú', 'u'), 'Û', 'u'), 'Ü', 'u'), 'Ý', 'y'), 'Þ', 'th'), 'ß', 'ss'), 'à', 'a'), 'á', 'a'), 'â', 'a'), 'ã', 'a'), 'ä', 'a'), 'å', 'a'), 'æ', 'ae'), 'ç', 'c'), 'è', 'e'), 'é', 'e'), 'ê', 'e'), 'ë', 'e'), 'ì', 'i'), 'í', 'i'), 'î', 'i'), 'ï', 'i'), 'ð', 'd'), 'ñ', 'n'), 'ò', 'o'), 'ó', 'o'), 'ô', 'o'), 'õ', 'o'), 'ö', 'o'), 'ø', 'o'), 'ù', 'u'), 'ú', 'u'), 'û', 'u'), 'ü', 'u'), 'ý', 'y'), 'þ', 'th'), 'ÿ', 'y'), 'Ā', 'a'), 'ā', 'a'), 'Ă', 'a'), 'ă', 'a'), 'Ą', 'a'), 'ą', 'a'), 'Ć', 'c'), 'ć', 'c'), 'Ĉ', 'c'), 'ĉ', 'c'), 'Ċ', 'c'), 'ċ', 'c'), 'Č', 'c'), 'č', 'c'), 'Ď', 'd'), 'ď', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ē', 'e'), 'ē', 'e'), 'Ĕ', 'e'), 'ĕ', 'e'), 'Ė', 'e'), 'ė', 'e'), 'Ę', 'e'), 'ę', 'e'), 'Ě', 'e'), 'ě', 'e'), 'Ĝ', 'g'), 'ĝ', 'g'), 'Ğ', 'g'), 'ğ', 'g'), 'Ġ', 'g'), 'ġ', 'g'), 'Ģ', 'g'), 'ģ', 'g'), 'Ĥ', 'h'), 'ĥ', 'h'), 'Ĩ', 'i'), 'ĩ', 'i'), 'Ī', 'i'), 'ī', 'i'), 'Ĭ', 'i'), 'ĭ', 'i'), 'Į', 'i'), 'į', 'i'), 'İ', 'i'), 'ı', 'i'), 'Ĳ', 'ij'), 'ĳ', 'ij'), 'Ĵ', 'j'), 'ĵ', 'j'), 'Ķ', 'k'), 'ķ', 'k'), 'Ĺ', 'l'), 'ĺ', 'l'), 'Ļ', 'l'), 'ļ', 'l'), 'Ľ', 'l'), 'ľ', 'l'), 'Ł', 'l'), 'ł', 'l'), 'Ń', 'n'), 'ń', 'n'), 'Ņ', 'n'), 'ņ', 'n'), 'Ň', 'n'), 'ň', 'n'), 'Ō', 'o'), 'ō', 'o'), 'Ŏ', 'o'), 'ŏ', 'o'), 'Ő', 'o'), 'ő', 'o'), 'Œ', 'oe'), 'œ', 'oe'), 'Ŕ', 'r'), 'ŕ', 'r'), 'Ŗ', 'r'), 'ŗ', 'r'), 'Ř', 'r'), 'ř', 'r'), 'Ś', 's'), 'ś', 's'), 'Ŝ', 's'), 'ŝ', 's'), 'Ş', 's'), 'ş', 's'), 'Š', 's'), 'š', 's'), 'Ţ', 't'), 'ţ', 't'), 'Ť', 't'), 'ť', 't'), 'Ũ', 'u'), 'ũ', 'u'), 'Ū', 'u'), 'ū', 'u'), 'Ŭ', 'u'), 'ŭ', 'u'), 'Ů', 'u'), 'ů', 'u'), 'Ű', 'u'), 'ű', 'u'), 'Ų', 'u'), 'ų', 'u'), 'Ŵ', 'w'), 'ŵ', 'w'), 'Ŷ', 'y'), 'ŷ', 'y'), 'Ÿ', 'y'), 'Ź', 'z'), 'ź', 'z'), 'Ż', 'z'), 'ż', 'z'), 'Ž', 'z'), 'ž', 'z'), 'ſ', 's') ELSE replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d END), rid, id, connection_id, ref, given_name, family_name, birth_date, nhs_number, phone, postcode
      FROM (SELECT new.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(new.birth_date, '-', '') AS d, new.id AS id, new.connection_id AS connection_id, new.ref AS ref, new.given_name AS given_name, new.family_name AS family_name, new.birth_date AS birth_date, new.nhs_number AS nhs_number, new.phone AS phone, new.postcode AS postcode );
    END;

-- trigger patients_search_row_update
CREATE TRIGGER patients_search_row_update AFTER UPDATE OF id, connection_id, ref, given_name, family_name, birth_date, nhs_number, phone, postcode ON patients BEGIN
      DELETE FROM patient_search_rows WHERE rid = old.rowid
      AND k = (SELECT lower(CASE WHEN replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d GLOB '*[^ -~]*' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d, 'À', 'a'), 'Á', 'a'), 'Â', 'a'), 'Ã', 'a'), 'Ä', 'a'), 'Å', 'a'), 'Æ', 'ae'), 'Ç', 'c'), 'È', 'e'), 'É', 'e'), 'Ê', 'e'), 'Ë', 'e'), 'Ì', 'i'), 'Í', 'i'), 'Î', 'i'), 'Ï', 'i'), 'Ð', 'd'), 'Ñ', 'n'), 'Ò', 'o'), 'Ó', 'o'), 'Ô', 'o'), 'Õ', 'o'), 'Ö', 'o'), 'Ø', 'o'), 'Ù', 'u'), 'Ú', 'u'), 'Û', 'u'), 'Ü', 'u'), 'Ý', 'y'), 'Þ', 'th'), 'ß', 'ss'), 'à', 'a'), 'á', 'a'), 'â', 'a'), 'ã', 'a'), 'ä', 'a'), 'å', 'a'), 'æ', 'ae'), 'ç', 'c'), 'è', 'e'), 'é', 'e'), 'ê', 'e'), 'ë', 'e'), 'ì', 'i'), 'í', 'i'), 'î', 'i'), 'ï', 'i'), 'ð', 'd'), 'ñ', 'n'), 'ò', 'o'), 'ó', 'o'), 'ô', 'o'), 'õ', 'o'), 'ö', 'o'), 'ø', 'o'), 'ù', 'u'), 'ú', 'u'), 'û', 'u'), 'ü', 'u'), 'ý', 'y'), 'þ', 'th'), 'ÿ', 'y'), 'Ā', 'a'), 'ā', 'a'), 'Ă', 'a'), 'ă', 'a'), 'Ą', 'a'), 'ą', 'a'), 'Ć', 'c'), 'ć', 'c'), 'Ĉ', 'c'), 'ĉ', 'c'), 'Ċ', 'c'), 'ċ', 'c'), 'Č', 'c'), 'č', 'c'), 'Ď', 'd'), 'ď', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ē', 'e'), 'ē', 'e'), 'Ĕ', 'e'), 'ĕ', 'e'), 'Ė', 'e'), 'ė', 'e'), 'Ę', 'e'), 'ę', 'e'), 'Ě', 'e'), 'ě', 'e'), 'Ĝ', 'g'), 'ĝ', 'g'), 'Ğ', 'g'), 'ğ', 'g'), 'Ġ', 'g'), 'ġ', 'g'), 'Ģ', 'g'), 'ģ', 'g'), 'Ĥ', 'h'), 'ĥ', 'h'), 'Ĩ', 'i'), 'ĩ', 'i'), 'Ī', 'i'), 'ī', 'i'), 'Ĭ', 'i'), 'ĭ', 'i'), 'Į', 'i'), 'į', 'i'), 'İ', 'i'), 'ı', 'i'), 'Ĳ', 'ij'), 'ĳ', 'ij'), 'Ĵ', 'j'), 'ĵ', 'j'), 'Ķ', 'k'), 'ķ', 'k'), 'Ĺ', 'l'), 'ĺ', 'l'), 'Ļ', 'l'), 'ļ', 'l'), 'Ľ', 'l'), 'ľ', 'l'), 'Ł', 'l'), 'ł', 'l'), 'Ń', 'n'), 'ń', 'n'), 'Ņ', 'n'), 'ņ', 'n'), 'Ň', 'n'), 'ň', 'n'), 'Ō', 'o'), 'ō', 'o'), 'Ŏ', 'o'), 'ŏ', 'o'), 'Ő', 'o'), 'ő', 'o'), 'Œ', 'oe'), 'œ', 'oe'), 'Ŕ', 'r'), 'ŕ', 'r'), 'Ŗ', 'r'), 'ŗ', 'r'), 'Ř', 'r'), 'ř', 'r'), 'Ś', 's'), 'ś', 's'), 'Ŝ', 's'), 'ŝ', 's'), 'Ş', 's'), 'ş', 's'), 'Š', 's'), 'š', 's'), 'Ţ', 't'), 'ţ', 't'), 'Ť', 't'), 'ť', 't'), 'Ũ', 'u'), 'ũ', 'u'), 'Ū', 'u'), 'ū', 'u'), 'Ŭ', 'u'), 'ŭ', 'u'), 'Ů', 'u'), 'ů', 'u'), 'Ű', 'u'), 'ű', 'u'), 'Ų', 'u'), 'ų', 'u'), 'Ŵ', 'w'), 'ŵ', 'w'), 'Ŷ', 'y'), 'ŷ', 'y'), 'Ÿ', 'y'), 'Ź', 'z'), 'ź', 'z'), 'Ż', 'z'), 'ż', 'z'), 'Ž', 'z'), 'ž', 'z'), 'ſ', 's') ELSE replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d END) FROM (SELECT old.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(old.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(old.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(old.birth_date, '-', '') AS d ));
      INSERT INTO patient_search_rows (k, rid, id, connection_id, ref, given_name, family_name, birth_date, nhs_number, phone, postcode)
      SELECT lower(CASE WHEN replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d GLOB '*[^ -~]*' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d, 'À', 'a'), 'Á', 'a'), 'Â', 'a'), 'Ã', 'a'), 'Ä', 'a'), 'Å', 'a'), 'Æ', 'ae'), 'Ç', 'c'), 'È', 'e'), 'É', 'e'), 'Ê', 'e'), 'Ë', 'e'), 'Ì', 'i'), 'Í', 'i'), 'Î', 'i'), 'Ï', 'i'), 'Ð', 'd'), 'Ñ', 'n'), 'Ò', 'o'), 'Ó', 'o'), 'Ô', 'o'), 'Õ', 'o'), 'Ö', 'o'), 'Ø', 'o'), 'Ù', 'u'), 'Ú', 'u'), 'Û', 'u'), 'Ü', 'u'), 'Ý', 'y'), 'Þ', 'th'), 'ß', 'ss'), 'à', 'a'), 'á', 'a'), 'â', 'a'), 'ã', 'a'), 'ä', 'a'), 'å', 'a'), 'æ', 'ae'), 'ç', 'c'), 'è', 'e'), 'é', 'e'), 'ê', 'e'), 'ë', 'e'), 'ì', 'i'), 'í', 'i'), 'î', 'i'), 'ï', 'i'), 'ð', 'd'), 'ñ', 'n'), 'ò', 'o'), 'ó', 'o'), 'ô', 'o'), 'õ', 'o'), 'ö', 'o'), 'ø', 'o'), 'ù', 'u'), 'ú', 'u'), 'û', 'u'), 'ü', 'u'), 'ý', 'y'), 'þ', 'th'), 'ÿ', 'y'), 'Ā', 'a'), 'ā', 'a'), 'Ă', 'a'), 'ă', 'a'), 'Ą', 'a'), 'ą', 'a'), 'Ć', 'c'), 'ć', 'c'), 'Ĉ', 'c'), 'ĉ', 'c'), 'Ċ', 'c'), 'ċ', 'c'), 'Č', 'c'), 'č', 'c'), 'Ď', 'd'), 'ď', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ē', 'e'), 'ē', 'e'), 'Ĕ', 'e'), 'ĕ', 'e'), 'Ė', 'e'), 'ė', 'e'), 'Ę', 'e'), 'ę', 'e'), 'Ě', 'e'), 'ě', 'e'), 'Ĝ', 'g'), 'ĝ', 'g'), 'Ğ', 'g'), 'ğ', 'g'), 'Ġ', 'g'), 'ġ', 'g'), 'Ģ', 'g'), 'ģ', 'g'), 'Ĥ', 'h'), 'ĥ', 'h'), 'Ĩ', 'i'), 'ĩ', 'i'), 'Ī', 'i'), 'ī', 'i'), 'Ĭ', 'i'), 'ĭ', 'i'), 'Į', 'i'), 'į', 'i'), 'İ', 'i'), 'ı', 'i'), 'Ĳ', 'ij'), 'ĳ', 'ij'), 'Ĵ', 'j'), 'ĵ', 'j'), 'Ķ', 'k'), 'ķ', 'k'), 'Ĺ', 'l'), 'ĺ', 'l'), 'Ļ', 'l'), 'ļ', 'l'), 'Ľ', 'l'), 'ľ', 'l'), 'Ł', 'l'), 'ł', 'l'), 'Ń', 'n'), 'ń', 'n'), 'Ņ', 'n'), 'ņ', 'n'), 'Ň', 'n'), 'ň', 'n'), 'Ō', 'o'), 'ō', 'o'), 'Ŏ', 'o'), 'ŏ', 'o'), 'Ő', 'o'), 'ő', 'o'), 'Œ', 'oe'), 'œ', 'oe'), 'Ŕ', 'r'), 'ŕ', 'r'), 'Ŗ', 'r'), 'ŗ', 'r'), 'Ř', 'r'), 'ř', 'r'), 'Ś', 's'), 'ś', 's'), 'Ŝ', 's'), 'ŝ', 's'), 'Ş', 's'), 'ş', 's'), 'Š', 's'), 'š', 's'), 'Ţ', 't'), 'ţ', 't'), 'Ť', 't'), 'ť', 't'), 'Ũ', 'u'), 'ũ', 'u'), 'Ū', 'u'), 'ū', 'u'), 'Ŭ', 'u'), 'ŭ', 'u'), 'Ů', 'u'), 'ů', 'u'), 'Ű', 'u'), 'ű', 'u'), 'Ų', 'u'), 'ų', 'u'), 'Ŵ', 'w'), 'ŵ', 'w'), 'Ŷ', 'y'), 'ŷ', 'y'), 'Ÿ', 'y'), 'Ź', 'z'), 'ź', 'z'), 'Ż', 'z'), 'ż', 'z'), 'Ž', 'z'), 'ž', 'z'), 'ſ', 's') ELSE replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d END), rid, id, connection_id, ref, given_name, family_name, birth_date, nhs_number, phone, postcode
      FROM (SELECT new.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '	', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(new.birth_date, '-', '') AS d, new.id AS id, new.connection_id AS connection_id, new.ref AS ref, new.given_name AS given_name, new.family_name AS family_name, new.birth_date AS birth_date, new.nhs_number AS nhs_number, new.phone AS phone, new.postcode AS postcode );
    END;
