import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  buildSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
} from 'graphql'
import { describe, expect, it } from 'vitest'
import { sembleAssumptions } from '../../src/main/vendors/semble/assumptions'
import { sembleSchema } from './semble-documented'
import { BASELINE_LISTS, baselineSdl } from '../../src/sandbox/healthie/baseline'

/**
 * The simulators' own SDL must be a subset of the vendors' published schemas: every type, field,
 * argument, input field and enum value they declare exists there with the same type. Any drift is
 * reported as one line per difference.
 */

const schemasDir = process.env.FRONTDESK_SCHEMAS_DIR
if (!schemasDir) throw new Error('FRONTDESK_SCHEMAS_DIR is not set: run `npm run test:schemas`')

const read = (path: string | URL) => readFileSync(path, 'utf8')
const published = (file: string) => buildSchema(read(join(schemasDir, file)))
/** Semble's partial schema with the fields its doc pages show and the file omits. */
const publishedSemble = () => sembleSchema(read(join(schemasDir, 'semble-partial.graphql')))
const simulator = (vendor: string) =>
  read(new URL(`../../src/sandbox/${vendor}/schema.graphql`, import.meta.url))

/** Semble's simulator now has no extras: nothing may be missing from the published schema. */
const SEMBLE_SIMULATOR_ONLY: string[] = []

function kindOf(t: GraphQLNamedType): string {
  if (isScalarType(t)) return 'scalar'
  if (isObjectType(t)) return 'type'
  if (isInterfaceType(t)) return 'interface'
  if (isUnionType(t)) return 'union'
  if (isEnumType(t)) return 'enum'
  if (isInputObjectType(t)) return 'input'
  return 'unknown'
}

const isRequired = (a: GraphQLArgument | GraphQLInputField) =>
  isNonNullType(a.type) && a.defaultValue === undefined

function sdlDifferences(ours: GraphQLSchema, theirs: GraphQLSchema, allowed: string[] = []): string[] {
  const diffs: string[] = []
  const allow = new Set(allowed)
  const used = new Set<string>()
  const allowedHere = (path: string) => {
    if (!allow.has(path)) return false
    used.add(path)
    return true
  }

  const roots: [string, string | undefined, string | undefined][] = [
    ['query', ours.getQueryType()?.name, theirs.getQueryType()?.name],
    ['mutation', ours.getMutationType()?.name, theirs.getMutationType()?.name],
  ]
  for (const [root, a, b] of roots)
    if (a && a !== b) diffs.push(`schema: ${root} root is ${a}, published ${b ?? 'none'}`)

  for (const type of Object.values(ours.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue
    const other = theirs.getType(type.name)
    if (!other) {
      if (!allowedHere(type.name)) diffs.push(`${type.name}: ${kindOf(type)} not in the published schema`)
      continue
    }
    if (kindOf(type) !== kindOf(other)) {
      diffs.push(`${type.name}: is ${kindOf(type)} here, ${kindOf(other)} in the published schema`)
      continue
    }
    if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(other) || isInterfaceType(other))) {
      const theirFields = other.getFields()
      for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        const path = `${type.name}.${field.name}`
        const match = theirFields[field.name]
        if (!match) {
          if (!allowedHere(path)) diffs.push(`${path}: field not in the published schema`)
          continue
        }
        if (String(field.type) !== String(match.type))
          diffs.push(`${path}: type ${String(field.type)}, published ${String(match.type)}`)
        for (const arg of field.args) {
          const theirArg = match.args.find((a) => a.name === arg.name)
          if (!theirArg) diffs.push(`${path}(${arg.name}): argument not in the published schema`)
          else if (String(arg.type) !== String(theirArg.type))
            diffs.push(`${path}(${arg.name}): type ${String(arg.type)}, published ${String(theirArg.type)}`)
        }
        for (const theirArg of match.args)
          if (isRequired(theirArg) && !field.args.some((a) => a.name === theirArg.name))
            diffs.push(`${path}(${theirArg.name}): required argument missing here`)
      }
    }
    if (isInputObjectType(type) && isInputObjectType(other)) {
      const theirFields = other.getFields()
      for (const field of Object.values(type.getFields())) {
        const path = `${type.name}.${field.name}`
        const match = theirFields[field.name]
        if (!match) diffs.push(`${path}: input field not in the published schema`)
        else if (String(field.type) !== String(match.type))
          diffs.push(`${path}: type ${String(field.type)}, published ${String(match.type)}`)
      }
      for (const theirField of Object.values(theirFields))
        if (isRequired(theirField) && !type.getFields()[theirField.name])
          diffs.push(`${type.name}.${theirField.name}: required input field missing here`)
    }
    if (isEnumType(type) && isEnumType(other)) {
      const theirValues = new Set(other.getValues().map((v) => v.name))
      for (const v of type.getValues())
        if (!theirValues.has(v.name))
          diffs.push(`${type.name}.${v.name}: enum value not in the published schema`)
    }
    if (isUnionType(type) && isUnionType(other)) {
      const members = new Set(other.getTypes().map((t) => t.name))
      for (const t of type.getTypes())
        if (!members.has(t.name)) diffs.push(`${type.name}: member ${t.name} not in the published union`)
    }
  }
  for (const path of allow) {
    if (!used.has(path))
      diffs.push(`allow-list: ${path} is not a simulator-only extra (remove it from the list)`)
  }
  return diffs
}

describe('simulator SDL is a subset of the published schema', () => {
  it('Semble: every declared element exists in semble-partial.graphql, with no extras', () => {
    const ours = buildSchema(simulator('semble'))
    // The list queries Semble does not publish are gone for good.
    expect(ours.getQueryType()?.getFields().locations).toBeUndefined()
    expect(ours.getQueryType()?.getFields().bookingTypes).toBeUndefined()
    expect(sdlDifferences(ours, publishedSemble(), SEMBLE_SIMULATOR_ONLY)).toEqual([])
  })

  it('Healthie: every declared element exists in healthie-2026-01-01.graphql, with no extras', () => {
    const ours = buildSchema(simulator('healthie'))
    expect(sdlDifferences(ours, published('healthie-2026-01-01.graphql'))).toEqual([])
  })

  it('Healthie baseline: each list query answers, and pages, as the published baseline schema says', () => {
    const PAGING = ['offset', 'page_size', 'should_paginate']
    const ours = buildSchema(baselineSdl(simulator('healthie')))
    const theirs = published('healthie-baseline.graphql')
    const mine = ours.getQueryType()!.getFields()
    const published_ = theirs.getQueryType()!.getFields()
    const seen: string[] = []
    for (const name of Object.keys(BASELINE_LISTS)) {
      const field = mine[name]!
      const match = published_[name]!
      expect(String(field.type), name).toBe(String(match.type))
      // The paging arguments; the others are 2026-01-01's, which accretion may have added.
      for (const arg of field.args.filter((a) => PAGING.includes(a.name))) {
        const theirArg = match.args.find((a) => a.name === arg.name)
        expect(theirArg, `${name}(${arg.name})`).toBeDefined()
        expect([String(arg.type), arg.defaultValue], `${name}(${arg.name})`).toEqual([
          String(theirArg!.type),
          theirArg!.defaultValue,
        ])
        seen.push(`${name}(${arg.name})`)
      }
    }
    // Every paging argument the baseline gives these queries is served (its cursor paging aside).
    for (const name of Object.keys(BASELINE_LISTS))
      for (const a of published_[name]!.args)
        if (['offset', 'page_size', 'should_paginate'].includes(a.name))
          expect(seen).toContain(`${name}(${a.name})`)
    expect(Object.keys(ours.getTypeMap()).filter((t) => /Connection$|Edge$/.test(t))).toEqual([])
  })

  it('reports drift as one line per difference', () => {
    const drifted = buildSchema(
      simulator('semble')
        .replace('firstName: String\n', 'firstName: Int\n')
        .replace('patients(search: String,', 'patients(search: String, nhsNumber: String,')
        .replace('  dna\n}', '  dna\n  late\n}')
        .replace('type SignInPayload {', 'type SignInPayload {\n  expiresAt: DateTime'),
    )
    expect(sdlDifferences(drifted, publishedSemble(), SEMBLE_SIMULATOR_ONLY)).toEqual([
      'Patient.firstName: type Int, published String',
      'JourneyStage.late: enum value not in the published schema',
      'SignInPayload.expiresAt: field not in the published schema',
      'Query.patients(nhsNumber): argument not in the published schema',
    ])
    const stale = sdlDifferences(buildSchema(simulator('semble')), publishedSemble(), ['Query.booking'])
    expect(stale).toEqual([
      'allow-list: Query.booking is not a simulator-only extra (remove it from the list)',
    ])
  })
})

/**
 * What semble-partial.graphql marks `# INFERRED`: the definition after such a comment (a type, an
 * input, or a field: `Query.users`), or, where the comment says the field types are inferred,
 * every definition up to the next comment.
 */
function inferredShapes(partial: string): string[] {
  const found: string[] = []
  let pending: 'next' | 'all' | null = null
  let owner: string | null = null
  for (const line of partial.split('\n')) {
    const t = line.trim()
    const def = /^(?:type|input|enum)\s+(\w+)/.exec(t)
    if (t.startsWith('#') || t.startsWith('"""')) {
      // The file's header explains the marker ("# INFERRED" in quotes); it marks nothing itself.
      if (t.includes('INFERRED') && !t.includes('"# INFERRED"'))
        pending = /Field types INFERRED/.test(t) ? 'all' : 'next'
      else if (pending === 'all') pending = null
      continue
    }
    if (def) {
      owner = def[1]!
      if (pending) found.push(owner)
      if (pending === 'next') pending = null
      continue
    }
    const field = /^(\w+)\s*[(:]/.exec(t)
    if (field && owner && pending === 'next') {
      found.push(`${owner}.${field[1]}`)
      pending = null
    }
  }
  return found
}

/** Types and `Type.field`s the simulator's SDL declares. */
function declared(sdl: string): Set<string> {
  const names = new Set<string>()
  const schema = buildSchema(sdl)
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue
    names.add(type.name)
    if (isObjectType(type) || isInputObjectType(type))
      for (const f of Object.keys(type.getFields())) names.add(`${type.name}.${f}`)
  }
  return names
}

describe('the Semble simulator takes nothing marked # INFERRED that the assumption register does not name', () => {
  const partial = read(join(schemasDir, 'semble-partial.graphql'))
  const named: string[] = Object.values(sembleAssumptions).flatMap((a) =>
    'inferredShapes' in a ? [...a.inferredShapes] : [],
  )

  it('finds the inferred shapes (a parser that finds none would pass anything)', () => {
    const shapes = inferredShapes(partial)
    expect(shapes).toEqual(
      expect.arrayContaining(['PageInfo', 'Product', 'Availability', 'SignInPayload', 'Query.users']),
    )
  })

  it('every inferred shape the simulator serves is named by a register entry, and every name is one', () => {
    const shapes = inferredShapes(partial)
    const served = declared(simulator('semble'))
    expect(shapes.filter((s) => served.has(s) && !named.includes(s))).toEqual([])
    expect(named.filter((n) => !shapes.includes(n))).toEqual([])
  })

  it('an inferred shape added to the simulator without an entry is reported', () => {
    const withGuess = partial.replace(
      '# ---------- auth ----------',
      '# INFERRED\ntype Waitlist { id: ID }\n# ---------- auth ----------',
    )
    const sim = `${simulator('semble')}\ntype Waitlist { id: ID }\n`
    const served = declared(sim)
    expect(inferredShapes(withGuess).filter((s) => served.has(s) && !named.includes(s))).toEqual(['Waitlist'])
  })
})
