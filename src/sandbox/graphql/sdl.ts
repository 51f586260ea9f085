import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildSchema, type GraphQLSchema } from 'graphql'

/**
 * Loads a simulator's SDL from beside its source (`src/sandbox/<vendor>/schema.graphql`). When the
 * sandbox runs from a bundle, the file is looked up from the working directory instead.
 */
export function loadSchema(vendor: 'semble' | 'healthie', moduleUrl: string): GraphQLSchema {
  return buildSchema(loadSdl(vendor, moduleUrl))
}

/** The SDL text itself, for a simulator that derives another version's schema from it. */
export function loadSdl(vendor: 'semble' | 'healthie', moduleUrl: string): string {
  const candidates = [
    fileURLToPath(new URL('./schema.graphql', moduleUrl)),
    // Inside the desktop app's main bundle (electron.vite.config.ts copies it there).
    fileURLToPath(new URL(`./sandbox/${vendor}/schema.graphql`, moduleUrl)),
    join(process.cwd(), 'src', 'sandbox', vendor, 'schema.graphql'),
  ]
  const path = candidates.find((p) => existsSync(p))
  if (!path)
    throw new Error(
      `The ${vendor} simulator's schema.graphql was not found (looked in ${candidates.join(', ')})`,
    )
  return readFileSync(path, 'utf8')
}
