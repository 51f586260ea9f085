/**
 * How to make each vendor's simulator behave as one value of an assumption-register entry: the one
 * place both the assumption suite (./assumptions.test.ts) and the conformance suite's variant runs
 * (./conformance.test.ts, ./conformance/targets.ts) read it from.
 */
import type { HeimOptions, HeroOptions } from '../../../src/sandbox'
import type { HealthieSimulatorOptions } from '../../../src/sandbox/healthie'
import type { startSembleSimulator } from '../../../src/sandbox/semble'
import type { Register } from '../../../src/main/vendors/assumptions'
import { healthieAssumptions } from '../../../src/main/vendors/healthie/assumptions'
import { heimAssumptions } from '../../../src/main/vendors/heim/assumptions'
import { heroAssumptions } from '../../../src/main/vendors/hero/assumptions'
import { sembleAssumptions } from '../../../src/main/vendors/semble/assumptions'
import type { Vendor } from '../../../src/shared/model'

/** One value of one switchable register entry. */
export interface Variant {
  key: string
  value: string
}

export const registers: Record<Vendor, Register> = {
  semble: sembleAssumptions,
  healthie: healthieAssumptions,
  hero: heroAssumptions,
  heim: heimAssumptions,
}

/** The entry's assumed value, then its alternatives. */
const values = (register: Register, key: string) => [register[key]!.assumed, ...register[key]!.alternatives]
/** Entries a connection option switches. */
export const switchable = (register: Register) =>
  Object.keys(register).filter((k) => register[k]!.option !== null)

/** Every value (the assumed one included) of every switchable entry of the vendor's register. */
export const variantsOf = (vendor: Vendor): Variant[] =>
  switchable(registers[vendor]).flatMap((key) =>
    values(registers[vendor], key).map((value) => ({ key, value })),
  )

/** The connection option that switches the adapter to the variant. */
export function variantOption(vendor: Vendor, { key, value }: Variant): Record<string, string> {
  const option = registers[vendor][key]?.option
  if (!option) throw new Error(`${vendor} has no switchable assumption "${key}"`)
  return { [option]: value }
}

/* ---------------- per vendor, keyed by register entry: value → simulator ---------------- */

export const heroSimulatorOptions: Record<string, (value: string) => HeroOptions> = {
  rateLimit: (v) => ({ rateLimitPerMinute: Number(v) }),
  reserveBody: (v) => ({ reserveBody: v as 'slot' | 'explicit' }),
  confirmAction: (v) => ({ bookAction: v }),
  appointmentList: (v) => ({ listAppointments: v !== 'none' }),
  // "auto" meets the harder server, one that counts from 1.
  pageIndexBase: (v) => ({ pageIndexBase: v === '0' ? 0 : 1 }),
  repeatCancelStatus: (v) => ({ repeatCancelStatus: Number(v) as 409 | 410 | 400 }),
  cancelledRead: (v) => ({ cancelledRead: v as '410' | 'cancelled_at' }),
  repeatConfirmStatus: (v) => ({ repeatConfirmStatus: Number(v) as 409 | 400 }),
}

export const heimSimulatorOptions: Record<string, (value: string) => HeimOptions> = {
  rateLimit: (v) => ({ rateLimitPerMinute: Number(v) }),
  availabilityPath: (v) => ({ availabilityPath: v }),
  tasksPath: (v) => ({ tasksPath: v }),
  availabilityQuery: (v) => ({ availabilityQuery: v as 'camel' | 'snake' }),
  appointmentTimeField: (v) => ({ appointmentTimeField: v as 'start' | 'window.start' }),
  repeatCancelStatus: (v) => ({ repeatCancelStatus: Number(v) as 409 | 400 | 422 }),
  // A Heim that knows only this code for a patient's cancellation (and the no-show's own).
  cancelReasonCode: (v) => ({ cancelReasonCodes: [v, 'patient_not_present'] }),
  paging: (v) => ({ paging: v as 'cursor' | 'page' }),
  filterCombine: (v) => ({ filterCombine: v as 'repeat' | 'comma' }),
  // The simulator reads both fields; only the adapter's choice differs.
  referenceFilterField: () => ({}),
  nameFilterField: () => ({}),
}

export type SembleSim = Awaited<ReturnType<typeof startSembleSimulator>>

/**
 * Semble's variants are set on the started simulator; each answers the connection options the
 * value also needs (the copies of the practice's types or locations Settings would hold).
 */
type ConnectionOptions = Record<string, string>
export const sembleSimulatorSetup: Record<string, (value: string) => (sim: SembleSim) => ConnectionOptions> =
  {
    appointmentTypesFrom:
      (v) =>
      (sim): ConnectionOptions =>
        v === 'settings'
          ? { bookingTypes: JSON.stringify([...sim.control.state.bookingTypes.values()]) }
          : {},
    locationsFrom:
      (v) =>
      (sim): ConnectionOptions =>
        v === 'settings'
          ? {
              locations: JSON.stringify(
                [...sim.control.state.locations.values()].map(({ id, name, groupName }) => ({
                  id,
                  name,
                  groupName,
                })),
              ),
            }
          : {},
    // The seeded clinicians have services set up: only whether the adapter reads them differs.
    providerLink: () => () => ({}),
    refusesOverlap: (v) => (sim) => {
      sim.control.state.options.allowDoubleBooking = v === 'no'
      return {}
    },
    updateBookingFields: (v) => (sim) => {
      sim.control.state.options.updateKeepsOmitted = v === 'sent'
      return {}
    },
  }

/** Healthie's switchable entries change only what the adapter sends and reads. */
export const healthieSimulatorOptions: Record<string, (value: string) => HealthieSimulatorOptions> = {
  nhsNumberField: () => ({}),
  providerLink: () => ({}),
}
