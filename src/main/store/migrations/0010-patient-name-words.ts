import type { Migration } from './migration'

/*
 * Migration 10: the name words patients have, each once (`patient_name_words`, read through the
 * fts5vocab table `patient_name_vocab`), for finding a name one typing slip from what was typed.
 * Search checks hundreds of near-misses a keystroke against these words; asked of migration 3's
 * index, each was a seek among a million sort keys. Search keeps the words in memory and reads them
 * again only when `patient_name_words_version` has moved (every trigger below bumps it).
 *
 * Same namespaces and normalisation as migration 3 (`1` surname, `2` later surname words, `3`
 * given names), fed by triggers so every writer of `patients` keeps it in step, and filled from the
 * patients already cached. The SQL is written out in full as shipped;
 * src/main/search/name-index-sql.ts builds the same statements for the re-index after a VACUUM.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'patient name words',
  sql: `
    CREATE VIRTUAL TABLE patient_name_words USING fts5(
      words,
      tokenize = "unicode61 remove_diacritics 2",
      detail = none,
      content = '', contentless_delete = 1
    );
    CREATE VIRTUAL TABLE patient_name_vocab USING fts5vocab(patient_name_words, row);
    -- Counts changes to the words, so a copy held in memory knows when to read them again.
    CREATE TABLE patient_name_words_version (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      version INTEGER NOT NULL
    ) STRICT;
    INSERT INTO patient_name_words_version (id, version) VALUES (1, 0);

    CREATE TRIGGER patients_name_words_insert AFTER INSERT ON patients BEGIN
      
      INSERT INTO patient_name_words (rowid, words)
      SELECT rid,
        '1' || replace(f, ' ', '')
        || CASE WHEN instr(f, ' ') > 0 THEN ' 2' || replace(substr(f, instr(f, ' ') + 1), ' ', ' 2') ELSE '' END
        || ' 3' || replace(g, ' ', ' 3')
        || CASE WHEN instr(g, ' ') > 0 THEN ' 3' || replace(g, ' ', '') ELSE '' END
      FROM (SELECT new.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(new.birth_date, '-', '') AS d );
      UPDATE patient_name_words_version SET version = version + 1;
    END;
    CREATE TRIGGER patients_name_words_delete AFTER DELETE ON patients BEGIN
      DELETE FROM patient_name_words WHERE rowid = old.rowid;
      UPDATE patient_name_words_version SET version = version + 1;
    END;
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
      FROM (SELECT new.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(new.birth_date, '-', '') AS d );
      UPDATE patient_name_words_version SET version = version + 1;
    END;

    
      INSERT INTO patient_name_words (rowid, words)
      SELECT rid,
        '1' || replace(f, ' ', '')
        || CASE WHEN instr(f, ' ') > 0 THEN ' 2' || replace(substr(f, instr(f, ' ') + 1), ' ', ' 2') ELSE '' END
        || ' 3' || replace(g, ' ', ' 3')
        || CASE WHEN instr(g, ' ') > 0 THEN ' 3' || replace(g, ' ', '') ELSE '' END
      FROM (SELECT patients.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(patients.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(patients.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(patients.birth_date, '-', '') AS d FROM patients);
`,
}
