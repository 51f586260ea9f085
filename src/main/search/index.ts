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
  rebuildPatientNameIndex,
  searchCapability,
  searchPatients,
  upsertPatients,
  type MatchedOn,
  type PatientHit,
  type SearchCapability,
  type SearchRequest,
  type SearchResponse,
} from './search'
