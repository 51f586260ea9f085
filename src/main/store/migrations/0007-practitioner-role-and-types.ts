import type { Migration } from './migration'

/**
 * Migration 7: what each practitioner is and which appointment types they provide, as the vendor
 * links them. `role` is the vendor's own words (NULL when it says nothing); `appointment_type_refs`
 * is a JSON array of type refs, NULL where the vendor has no such link (every practitioner is then
 * offered for every type, as before).
 */
export const migration0007: Migration = {
  version: 7,
  name: 'practitioner role and the types they provide',
  sql: `
      ALTER TABLE practitioners ADD COLUMN role TEXT;
      ALTER TABLE practitioners ADD COLUMN appointment_type_refs TEXT
        CHECK (appointment_type_refs IS NULL OR json_type(appointment_type_refs) = 'array');
  `,
}
