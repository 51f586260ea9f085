/**
 * Where the conformance suite runs: our simulators (in `npm test`), or a real vendor sandbox
 * named by environment variables (`npm run test:live`, scripts/test-live.sh). The suite itself
 * (./behaviours.ts) never knows which.
 */
import { tracesStraightIn } from '../../../../src/sandbox/hero/state'
import { z } from 'zod'
import { seedClinic, startHeimSimulator, startHeroSimulator } from '../../../../src/sandbox'
import { startHealthieSimulator } from '../../../../src/sandbox/healthie'
import { startSembleSimulator } from '../../../../src/sandbox/semble'
import { systemClock, type Clock } from '../../../../src/shared/clock'
import type { Vendor } from '../../../../src/shared/model'
import { testClock } from '../../../support/clock'
import {
  healthieSimulatorOptions,
  heimSimulatorOptions,
  heroSimulatorOptions,
  sembleSimulatorSetup,
  variantOption,
  type Variant,
} from '../variants'

export interface Target {
  vendor: Vendor
  kind: 'simulator' | 'live'
  /** The vendor's base URL (the adapter reaches it through the recorder). */
  url: string
  credentials: Record<string, string>
  /** Another accepted set of credentials where the vendor has two ways in (Semble: email and password). */
  otherCredentials?: Record<string, string>
  options: Record<string, string>
  timeZone: string
  clock: Clock
  /** Whether book, reschedule, cancel, arrive and no-show are tried. */
  write: boolean
  /** The patient writes are made for (live: named by the operator). */
  patientRef?: string
  /** A person to trace (Hero finds patients by PDS trace only). */
  trace?: { nhsNumber: string; birthDate: string }
  /** Text for the patient search (default: the patient's family name). */
  searchText?: string
  close(): Promise<void>
}

/* ---------------- live: one set of variables per vendor ---------------- */

const PREFIX = 'FRONTDESK_LIVE_'

/** Per vendor: the variables, which are required, and how they become credentials and options. */
export const liveVariables: Record<
  Vendor,
  {
    required: string[]
    optional: string[]
    build(v: Record<string, string>): Pick<Target, 'credentials' | 'options'>
  }
> = {
  semble: {
    required: ['SEMBLE_URL', 'SEMBLE_TOKEN'],
    optional: ['SEMBLE_LOCATION_ID', 'SEMBLE_PATIENT_ID', 'SEMBLE_SEARCH', 'SEMBLE_ZONE'],
    build: (v) => ({
      credentials: { apiToken: v.SEMBLE_TOKEN! },
      options: v.SEMBLE_LOCATION_ID ? { locationId: v.SEMBLE_LOCATION_ID } : ({} as Record<string, string>),
    }),
  },
  healthie: {
    required: ['HEALTHIE_URL', 'HEALTHIE_API_KEY'],
    optional: ['HEALTHIE_PATIENT_ID', 'HEALTHIE_SEARCH', 'HEALTHIE_ZONE'],
    build: (v) => ({ credentials: { apiKey: v.HEALTHIE_API_KEY! }, options: {} }),
  },
  hero: {
    required: ['HERO_URL', 'HERO_API_KEY', 'HERO_PRACTICE_GROUP_ID'],
    optional: ['HERO_PATIENT_ID', 'HERO_TRACE_NHS_NUMBER', 'HERO_TRACE_BIRTH_DATE', 'HERO_ZONE'],
    build: (v) => ({
      credentials: { apiKey: v.HERO_API_KEY! },
      options: { practiceGroupId: v.HERO_PRACTICE_GROUP_ID! },
    }),
  },
  heim: {
    required: ['HEIM_URL', 'HEIM_API_KEY'],
    optional: ['HEIM_PATIENT_ID', 'HEIM_SEARCH', 'HEIM_ZONE'],
    build: (v) => ({ credentials: { apiKey: v.HEIM_API_KEY! }, options: {} }),
  },
}

const liveUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
const zone = z.string().refine((z) => Intl.supportedValuesOf('timeZone').includes(z) || z === 'UTC', {
  error: 'must be an IANA time zone such as Europe/London',
})

/** Which vendors have every required variable; for the others, which are missing. */
export function liveConfiguration(env: Record<string, string | undefined>) {
  const configured: Vendor[] = []
  const missing: Partial<Record<Vendor, string[]>> = {}
  for (const [vendor, spec] of Object.entries(liveVariables) as [Vendor, (typeof liveVariables)[Vendor]][]) {
    const absent = spec.required.filter((k) => !env[PREFIX + k]?.trim()).map((k) => PREFIX + k)
    if (absent.length) missing[vendor] = absent
    else configured.push(vendor)
  }
  return { configured, missing }
}

export function liveTarget(vendor: Vendor, env: Record<string, string | undefined>, write: boolean): Target {
  const spec = liveVariables[vendor]
  const v: Record<string, string> = {}
  for (const k of [...spec.required, ...spec.optional]) {
    const value = env[PREFIX + k]?.trim()
    if (value) v[k] = value
  }
  const upper = vendor.toUpperCase()
  const url = liveUrl.safeParse(v[`${upper}_URL`])
  if (!url.success) throw new Error(`${PREFIX}${upper}_URL ${url.error.issues[0]!.message}`)
  const tz = zone.safeParse(v[`${upper}_ZONE`] ?? 'Europe/London')
  if (!tz.success) throw new Error(`${PREFIX}${upper}_ZONE ${tz.error.issues[0]!.message}`)
  const patientRef = v[`${upper}_PATIENT_ID`]
  if (write && !patientRef)
    throw new Error(`--write needs ${PREFIX}${upper}_PATIENT_ID: the test patient the writes are made for`)
  return {
    vendor,
    kind: 'live',
    url: url.data,
    ...spec.build(v),
    timeZone: tz.data,
    // A real vendor lives on the real clock.
    clock: systemClock,
    write,
    ...(patientRef ? { patientRef } : {}),
    ...(v[`${upper}_SEARCH`] ? { searchText: v[`${upper}_SEARCH`] } : {}),
    ...(v.HERO_TRACE_NHS_NUMBER && v.HERO_TRACE_BIRTH_DATE
      ? { trace: { nhsNumber: v.HERO_TRACE_NHS_NUMBER, birthDate: v.HERO_TRACE_BIRTH_DATE } }
      : {}),
    close: async () => {},
  }
}

/* ---------------- simulators ---------------- */

/**
 * A simulator with its seeded clinic; given a variant (../variants.ts), one that behaves as that
 * value of the register entry, and options that switch the adapter to it.
 */
export async function simulatorTarget(vendor: Vendor, variant?: Variant): Promise<Target> {
  const clock = testClock()
  const timeZone = 'Europe/London'
  const clinic = seedClinic({ patients: 60, today: clock.now(), timeZone })
  const common = { kind: 'simulator' as const, clock, timeZone, write: true }
  const switched = variant ? variantOption(vendor, variant) : {}
  const simulatorAs = <T>(mappers: Record<string, (value: string) => T>): T | undefined => {
    if (!variant) return undefined
    const mapper = mappers[variant.key]
    if (!mapper) throw new Error(`no ${vendor} simulator variant for "${variant.key}"`)
    return mapper(variant.value)
  }
  switch (vendor) {
    case 'semble': {
      const sim = await startSembleSimulator(clinic, { clock })
      const extra = simulatorAs(sembleSimulatorSetup)?.(sim) ?? {}
      return {
        vendor,
        ...common,
        url: sim.url,
        credentials: { apiToken: sim.credentials.apiToken! },
        otherCredentials: { email: sim.credentials.signInEmail!, password: sim.credentials.signInPassword! },
        // The practice's NHS number type, as Settings would hold it.
        options: { nhsNumberTypeId: sim.credentials.nhsNumberTypeId!, ...switched, ...extra },
        close: () => sim.close(),
      }
    }
    case 'healthie': {
      const sim = await startHealthieSimulator(clinic, { clock, ...simulatorAs(healthieSimulatorOptions) })
      return {
        vendor,
        ...common,
        url: sim.url,
        credentials: { apiKey: sim.credentials.apiKey! },
        options: { ...switched },
        close: () => sim.close(),
      }
    }
    case 'heim': {
      const sim = await startHeimSimulator(clinic, { clock, ...simulatorAs(heimSimulatorOptions) })
      return {
        vendor,
        ...common,
        url: sim.url,
        credentials: { apiKey: sim.credentials.apiKey! },
        options: { ...switched },
        close: () => sim.close(),
      }
    }
    case 'hero': {
      const sim = await startHeroSimulator(clinic, { clock, ...simulatorAs(heroSimulatorOptions) })
      // Hero patients are found by a PDS trace, never listed: the operator's role, played here by
      // a person the simulator's PDS traces to a registered patient.
      const person = sim.control.state.pds.find(tracesStraightIn)!
      return {
        vendor,
        ...common,
        url: sim.url,
        credentials: { apiKey: sim.credentials.apiKey! },
        options: { practiceGroupId: sim.credentials.practiceGroupId!, ...switched },
        trace: { nhsNumber: person.nhsNumber, birthDate: person.birthDate },
        close: () => sim.close(),
      }
    }
  }
}
