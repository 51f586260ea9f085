import type { Migration } from './migration'

/**
 * Migration 4: appointments remember their patient's vendor id. The day book can show an
 * appointment before its patient is in the cache, and link the two as soon as the patient arrives,
 * without fetching patients one by one on the way.
 */
export const migration0004: Migration = {
  version: 4,
  name: "appointments remember their patient's vendor id",
  sql: `
      ALTER TABLE appointments ADD COLUMN patient_ref TEXT;
      UPDATE appointments SET patient_ref = (SELECT ref FROM patients WHERE patients.id = appointments.patient_id);
      CREATE INDEX appointments_patient_ref ON appointments (connection_id, patient_ref);
    `,
}
