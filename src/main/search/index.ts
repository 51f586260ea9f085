export {
  describeQuery,
  parseQuery,
  problemWith,
  type NameWord,
  type ParsedQuery,
  type ParseOptions,
} from './parse'
export {
  RANK,
  searchCapability,
  searchPatients,
  type MatchedOn,
  type PatientHit,
  type SearchCapability,
  type SearchRequest,
  type SearchResponse,
} from './search'
export {
  countMissed,
  markUnlisted,
  PATIENT_UPSERT_SQL,
  patientUpsertRow,
  rebuildPatientNameIndex,
  unlistedSweep,
  upsertPatients,
  type MissedCount,
  type MissedPass,
} from './search-index-repo'
