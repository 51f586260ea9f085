import type { Migration } from './migration'

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
 * and the punctuation inside names are rewritten in SQL first (nested replace() calls). The text
 * is the SQL exactly as shipped, written out in full rather than built by a helper, so no later
 * edit elsewhere can change it; src/main/search/name-index-sql.ts builds the same statements for
 * the re-index after a VACUUM, and a change to the index belongs in a new migration.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'patient name search index',
  sql: `
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
      
      INSERT INTO patient_names (rowid, family, given)
      SELECT rid, f || ' ' || replace(f, ' ', ''), g || ' ' || replace(g, ' ', '') FROM (SELECT new.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(new.birth_date, '-', '') AS d );
      INSERT INTO patient_name_keys (rowid, keys)
      SELECT rid,
        '1' || s
        || CASE WHEN instr(f, ' ') > 0
             THEN ' 2' || replace(substr(f, instr(f, ' ') + 1), ' ', '0' || s || ' 2') || '0' || s ELSE '' END
        || ' 3' || replace(g, ' ', '0' || s || ' 3') || '0' || s
        || CASE WHEN instr(g, ' ') > 0 THEN ' 3' || replace(g, ' ', '') || '0' || s ELSE '' END
      FROM (SELECT rid, f, g, replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d AS s FROM (SELECT new.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(new.birth_date, '-', '') AS d ));
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
      
      INSERT INTO patient_names (rowid, family, given)
      SELECT rid, f || ' ' || replace(f, ' ', ''), g || ' ' || replace(g, ' ', '') FROM (SELECT new.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(new.birth_date, '-', '') AS d );
      INSERT INTO patient_name_keys (rowid, keys)
      SELECT rid,
        '1' || s
        || CASE WHEN instr(f, ' ') > 0
             THEN ' 2' || replace(substr(f, instr(f, ' ') + 1), ' ', '0' || s || ' 2') || '0' || s ELSE '' END
        || ' 3' || replace(g, ' ', '0' || s || ' 3') || '0' || s
        || CASE WHEN instr(g, ' ') > 0 THEN ' 3' || replace(g, ' ', '') || '0' || s ELSE '' END
      FROM (SELECT rid, f, g, replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d AS s FROM (SELECT new.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(new.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(new.birth_date, '-', '') AS d ));
    END;

    
    DELETE FROM patient_names;
    DELETE FROM patient_name_keys;
    
      INSERT INTO patient_names (rowid, family, given)
      SELECT rid, f || ' ' || replace(f, ' ', ''), g || ' ' || replace(g, ' ', '') FROM (SELECT patients.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(patients.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(patients.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(patients.birth_date, '-', '') AS d FROM patients);
      INSERT INTO patient_name_keys (rowid, keys)
      SELECT rid,
        '1' || s
        || CASE WHEN instr(f, ' ') > 0
             THEN ' 2' || replace(substr(f, instr(f, ' ') + 1), ' ', '0' || s || ' 2') || '0' || s ELSE '' END
        || ' 3' || replace(g, ' ', '0' || s || ' 3') || '0' || s
        || CASE WHEN instr(g, ' ') > 0 THEN ' 3' || replace(g, ' ', '') || '0' || s ELSE '' END
      FROM (SELECT rid, f, g, replace(f, ' ', '') || '0' || replace(g, ' ', '') || '0' || d AS s FROM (SELECT patients.rowid AS rid, trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(patients.family_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS f,
      trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(patients.given_name, 'ß', 'ss'), 'ẞ', 'ss'), 'ı', 'i'), 'Æ', 'ae'), 'æ', 'ae'), 'Ø', 'o'), 'ø', 'o'), 'Þ', 'th'), 'þ', 'th'), 'Ð', 'd'), 'ð', 'd'), 'Đ', 'd'), 'đ', 'd'), 'Ł', 'l'), 'ł', 'l'), 'Œ', 'oe'), 'œ', 'oe'), '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '\`', ' '), '´', ' '), '.', ' '), ',', ' '), '‐', ' '), '‑', ' '), '–', ' '), '—', ' '), '_', ' '), '/', ' '), '(', ' '), ')', ' '), '"', ' '), '\t', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) AS g, replace(patients.birth_date, '-', '') AS d FROM patients));

  `,
}
