/**
 * One schema migration. Each lives in its own file, numbered, and is never edited once shipped:
 * its SQL is written out in full (no shared helper whose edit would rewrite it). A change to the
 * schema is a new file appended to the list in ./index.ts.
 */
export interface Migration {
  version: number
  name: string
  sql: string
}
