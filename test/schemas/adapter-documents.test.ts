import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildSchema, type GraphQLSchema, Kind, parse, validate, type OperationDefinitionNode } from 'graphql'
import { describe, expect, it } from 'vitest'
import { healthieDocuments } from '../../src/main/vendors/healthie/documents'
import { sembleDocuments } from '../../src/main/vendors/semble/documents'
import { sembleSchema } from './semble-documented'

/**
 * Every GraphQL document the Semble and Healthie adapters can send, parsed and validated with
 * graphql-js against the vendors' published schemas (read from FRONTDESK_SCHEMAS_DIR, never copied
 * into the project). A misspelt field or argument fails here, not in a clinic.
 */

const schemasDir = process.env.FRONTDESK_SCHEMAS_DIR
if (!schemasDir) throw new Error('FRONTDESK_SCHEMAS_DIR is not set: run `npm run test:schemas`')

const published = (file: string): GraphQLSchema => buildSchema(readFileSync(join(schemasDir, file), 'utf8'))

function operationName(source: string): string | undefined {
  const op = parse(source).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )
  return op?.name?.value
}

function check(schema: GraphQLSchema, name: string, source: string): string[] {
  return validate(schema, parse(source)).map((e) => `${name}: ${e.message}`)
}

describe('Healthie documents against healthie-2026-01-01.graphql', () => {
  const schema = published('healthie-2026-01-01.graphql')

  it.each(Object.entries(healthieDocuments))('%s is valid', (name, source) => {
    expect(operationName(source)).toBe(name)
    expect(check(schema, name, source)).toEqual([])
  })
})

describe('Semble documents against semble-partial.graphql', () => {
  const schema = sembleSchema(readFileSync(join(schemasDir, 'semble-partial.graphql'), 'utf8'))

  it('checks a non-empty set, with no exemptions', () => {
    expect(Object.keys(sembleDocuments).length).toBeGreaterThan(10)
  })

  it.each(Object.entries(sembleDocuments))('%s is valid', (name, source) => {
    expect(operationName(source)).toBe(name)
    expect(check(schema, name, source)).toEqual([])
  })
})
