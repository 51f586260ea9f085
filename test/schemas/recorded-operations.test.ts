/**
 * Every GraphQL operation the Semble and Healthie adapters can send, checked against the vendor's
 * published schema with the variable values an adapter really sent. The operations are found by
 * scanning the adapters' source (not a hand-made list); the values come from recording real adapter
 * calls to the simulators through the conformance recorder. Each operation found must have been
 * recorded at least once, and an empty scan or recording fails, so the check cannot pass by
 * checking nothing.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import {
  buildSchema,
  getVariableValues,
  Kind,
  parse,
  validate,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql'
import { beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../../src/main/vendors/http/client'
import { createAdapter } from '../../src/main/vendors/registry'
import type { VendorAdapter } from '../../src/main/vendors/types'
import type { Vendor } from '../../src/shared/model'
import { attempt, behaviours, type Found } from '../integration/vendors/conformance/behaviours'
import { startRecorder, type Exchange } from '../integration/vendors/conformance/recorder'
import { simulatorTarget } from '../integration/vendors/conformance/targets'
import { connectionFor, recordingLogger } from '../integration/vendors/support'
import { sembleSchema } from './semble-documented'

const schemasDir = process.env.FRONTDESK_SCHEMAS_DIR
if (!schemasDir) throw new Error('FRONTDESK_SCHEMAS_DIR is not set: run `npm run test:schemas`')

const SCHEMA_FILE: Record<'semble' | 'healthie', string> = {
  semble: 'semble-partial.graphql',
  healthie: 'healthie-2026-01-01.graphql',
}

/** Operation names in every GraphQL document written anywhere in a vendor's adapter folder. */
function scanOperations(folder: string): string[] {
  const names = new Set<string>()
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(folder, file), 'utf8')
    for (const literal of source.match(/`[^`]*`/g) ?? [])
      for (const m of literal.matchAll(/(?:^|\n)\s*(query|mutation|subscription)\s+([A-Za-z_]\w*)/g))
        names.add(m[2]!)
  }
  return [...names].sort()
}

/** What is wrong with one request as sent: the document against the schema, then its variables' values. */
function problems(schema: GraphQLSchema, sent: NonNullable<Exchange['graphql']>): string[] {
  let doc
  try {
    doc = parse(sent.query)
  } catch (err) {
    return [`does not parse: ${(err as Error).message}`]
  }
  const invalid = validate(schema, doc).map((e) => e.message)
  if (invalid.length) return invalid
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
  if (!op) return ['no operation in the document']
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], sent.variables)
  return (coerced.errors ?? []).map((e) => `variables: ${e.message}`)
}

const operationOf = (sent: NonNullable<Exchange['graphql']>) =>
  parse(sent.query).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )?.name?.value ?? '(anonymous)'

/**
 * Records one adapter's requests: the conformance suite's behaviours, then the operations it does
 * not reach (a patient created, an appointment read back, booking warnings, sign-in by password).
 */
async function record(vendor: 'semble' | 'healthie'): Promise<Exchange[]> {
  const target = await simulatorTarget(vendor)
  const recorder = await startRecorder(target.url)
  const logged = recordingLogger()
  const http = new HttpClient({ log: logged.log, now: () => target.clock.now() })
  const adapterWith = (credentials: Record<string, string>): VendorAdapter =>
    createAdapter(connectionFor(vendor, recorder.url, target.options), {
      http,
      readCredentials: async () => credentials,
      log: logged.log,
      now: () => target.clock.now(),
    })
  try {
    const adapter = adapterWith(target.credentials)
    const found: Found = { candidates: [], slots: [] }
    for (const b of behaviours) {
      const outcome = await attempt(b, adapter, target, found)
      if (outcome.result === 'fail') throw new Error(`${b.name}: ${outcome.detail}`)
    }
    const slot = found.slots[0]
    if (!slot || !found.booked) throw new Error('the conformance run left no slot or booking to work with')
    await adapter.getAppointment?.(found.booked.ref!)
    await adapter.listPatients?.({})
    await adapter.bookingWarnings?.({
      practitionerRef: slot.practitionerRef!,
      appointmentTypeRef: found.appointmentTypeRef!,
      start: slot.start,
    })
    const created = await adapter.createPatient?.({
      clientRef: randomUUID(),
      givenName: 'Ada',
      familyName: `Schema-${randomUUID().slice(0, 8)}`,
      birthDate: '1980-02-29',
      nhsNumber: '9434765919',
      phone: '07700 900123',
      postcode: 'N1 1AA',
    })
    // A correction of every detail this vendor lets Frontdesk change (Semble: a phone added, the
    // NHS number the patient already has updated).
    if (created?.ref && adapter.updatePatient) {
      const fields = adapter.capabilities.patientFields
      await adapter.updatePatient({
        clientRef: randomUUID(),
        ref: created.ref,
        changes: {
          ...(fields.includes('phone') ? { phone: '+447700900124' } : {}),
          ...(fields.includes('nhsNumber') ? { nhsNumber: '4010232137' } : {}),
          ...(fields.includes('email') ? { email: 'ada.schema@example.org' } : {}),
          ...(fields.includes('address')
            ? { address: { line: '1 Schema Street', city: 'London', postcode: 'N1 1AB' } }
            : {}),
        },
      })
    }
    // The other way in (Semble's sign-in by email and password), where there is one.
    if (target.otherCredentials) await adapterWith(target.otherCredentials).testConnection()
    return recorder.exchanges
  } finally {
    await http.close()
    await recorder.close()
    await target.close()
  }
}

describe.each(['semble', 'healthie'] as const)(
  '%s: operations as really sent',
  (vendor: Vendor & ('semble' | 'healthie')) => {
    const sdl = readFileSync(join(schemasDir, SCHEMA_FILE[vendor]), 'utf8')
    const schema = vendor === 'semble' ? sembleSchema(sdl) : buildSchema(sdl)
    const scanned = scanOperations(`src/main/vendors/${vendor}`)
    let sent: NonNullable<Exchange['graphql']>[] = []

    beforeAll(async () => {
      sent = (await record(vendor)).flatMap((x) => (x.graphql ? [x.graphql] : []))
    }, 120_000)

    it('finds operations in the adapter and records requests (an empty set fails)', () => {
      expect(scanned.length).toBeGreaterThan(5)
      expect(sent.length).toBeGreaterThan(scanned.length)
    })

    it('records every operation the adapter can send at least once, with its real variables', () => {
      const recorded = new Set(sent.map(operationOf))
      expect(scanned.filter((name) => !recorded.has(name))).toEqual([])
    })

    it('every recorded request is valid against the published schema, variables included', () => {
      const wrong = sent.flatMap((s) => problems(schema, s).map((p) => `${operationOf(s)}: ${p}`))
      expect([...new Set(wrong)]).toEqual([])
    })

    it('a planted bad operation is caught: a misspelt field, and a variable value of the wrong type', () => {
      const good = sent.find((s) => Object.keys(s.variables).length > 0)!
      const misspelt = { ...good, query: good.query.replace(/\{\s*id\b/, '{ idd') }
      const firstVar = Object.keys(good.variables)[0]!
      const wrongValue = { ...good, variables: { ...good.variables, [firstVar]: { not: ['a', 'scalar'] } } }
      expect(problems(schema, good)).toEqual([])
      expect(problems(schema, misspelt).join('\n')).toMatch(/Cannot query field "idd"/)
      expect(problems(schema, wrongValue).join('\n')).toMatch(
        new RegExp(`variables: Variable "\\$${firstVar}"`),
      )
    })
  },
)
