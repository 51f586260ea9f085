/**
 * The one contract between the renderer and the main process. Every method (name, input schema,
 * result type) and every event is declared here once; the main-process router, the preload client
 * and the browser client are all derived from it.
 */
import { z } from 'zod'
import type {
  Appointment,
  Connection,
  CredentialStatus,
  Patient,
  PatientChangeField,
  Slot,
  SyncState,
} from './model'
import { vendors } from './model'
import { canonicalInstant } from './instant'
import { compactNhsNumber, isValidNhsNumber } from './nhs-number'
import type { Delivery } from './delivery'
import type { QueueItem } from './outbox-rows'
import type { Result } from './result'
import { practitionerLinkSchema, type PractitionerLink } from './practitioner-links'
import { typeColourKeys, type TypeColour } from './type-colours'

/** A method: its zod input schema plus a phantom of its result type. */
export interface MethodSpec<I extends z.ZodType, O> {
  readonly input: I
  readonly __output?: O
}
const method =
  <O>() =>
  <I extends z.ZodType>(input: I): MethodSpec<I, O> => ({ input })

const id = z.string().trim().min(1, 'is required').max(100)
const empty = z.object({}).strict()

export interface AppInfo {
  name: string
  version: string
  /** `desktop` under Electron, `browser` under the browser host. */
  shell: 'desktop' | 'browser'
  platform: string
  demo: boolean
  /** The app's "now" when it answered: the page takes its clock from it (pinned in the demo and tests). */
  now: string
}

export interface ConnectionCheck {
  connectionId: string
  ok: boolean
  /** One plain sentence: what the vendor said, or why it could not be reached. */
  detail: string
  checkedAt: string
}

export interface ComponentHealth {
  ok: boolean
  /** One plain line for the status bar. */
  detail: string
}

/** Which values IT presets on this machine (managed settings): shown as managed, not editable. */
export interface ManagedSettingsView {
  /** Where they were read from; null when nothing is managed. */
  source: string | null
  connectionIds: string[]
  proxy: boolean
  /** The managed proxy's sign-in name, when it has one (its password is entered on each PC). */
  proxyUsername: string | null
  extraCaFile: boolean
  updateChannel: 'stable' | 'beta' | null
  inAppUpdates: boolean | null
  idleLockMinutes: number | null
}

/** The support bundle as it would leave: its files, already redacted, and the id to save it by. */
export interface SupportBundlePreview {
  id: string
  files: { name: string; text: string }[]
}

export interface AppHealth {
  store: ComponentHealth & { schemaVersion: number; encrypted: boolean }
  keychain: ComponentHealth & { backend: 'os-keychain' | 'session-memory' }
}

// Normalised here, before anything stores, compares or sends it: one UTC form (src/shared/instant.ts).
const isoInstant = z.iso
  .datetime({
    offset: true,
    message: 'must be a date and time with its zone, e.g. 2026-03-12T09:30:00Z',
  })
  .transform(canonicalInstant)
const plainDate = z.iso.date({ message: 'must be a date as YYYY-MM-DD' })
const seq = z.number().int().positive()

export interface PatientHit {
  id: string
  connectionId: string
  ref?: string
  givenName: string
  familyName: string
  birthDate: string
  nhsNumber?: string
  phone?: string
  postcode?: string
  /** `similar-name`: no exact match; a name one typing slip from the typed one. */
  matchedOn: 'nhs-number' | 'birth-date' | 'phone' | 'postcode' | 'name' | 'similar-name'
  rank: number
}

/** A cached patient who may be the one being registered, and why Frontdesk thinks so. */
export type LikelyDuplicate = Patient & {
  /** "same NHS number", "similar name, same date of birth", "same name, day and month of birth swapped", … */
  why: string
}

export interface PatientSearchResult {
  results: PatientHit[]
  interpretedAs: string[]
  problem?: string
  traceOnly?: string[]
  /** The query with a misspelt name corrected, when results for it are shown ("Kuar" → "Kaur"). */
  didYouMean?: string
  /** Asked with `countUpTo`: how many matched, counted up to it (reaching it means "or more"). */
  matched?: number
}

/**
 * What the header search asks for: ten hits shown, and matches counted up to sixty so the list can
 * say how many more match (past sixty, "more than"). The benches time this same request.
 */
export const HEADER_SEARCH = { limit: 10, countUpTo: 60 } as const

export interface AppointmentView extends Appointment {
  sync: SyncState
}

export interface ActionResult {
  appointment: AppointmentView
  /** Plain words for the confirmation line ("Booked: Ada Lovelace, 12 Mar 09:30 — …"). */
  message: string
  queued: boolean
  /** The first sending attempt's outcome; the renderer follows `seq` while it is `sending`. */
  delivery: Delivery
  /** An arrival or no-show held back until then (UTC) so it can be undone before it is sent. */
  undoUntil?: string
}

export interface DayColumn {
  connectionId: string
  label: string
  timeZone: string
  asOf: string | null
  fromCache: boolean
  problem?: string
  /** Names the column's practitioners and appointments as read: equal lists, equal versions. */
  version: string
  /**
   * The lists are the ones the caller holds (the request's `known` version): both are sent empty,
   * and the caller keeps its own.
   */
  unchanged?: true
  practitioners: { ref: string; name: string }[]
  appointments: (AppointmentView & {
    patient?: {
      givenName: string
      familyName: string
      birthDate: string
      nhsNumber?: string
      phone?: string
      ref?: string
    }
    practitionerName?: string
  })[]
}

/** A queued change as `queue.list` answers it: the outbox's typed rows (src/shared/outbox-rows.ts). */
export type { QueueItem, QueueSubject } from './outbox-rows'

export interface ConnectionStatus {
  connectionId: string
  online: boolean
  since: string
  lastSuccessAt: string | null
  pending: number
  needsAttention: number
  oldestPendingAt: string | null
}

export interface AuditEntry {
  id: number
  at: string
  actor: string
  connectionId: string | null
  entity: string | null
  entityId: string | null
  action: string
  change: string | null
  outcome: string
  detail: string | null
  /**
   * The patient the change was for (its own change, or for "sent" and "refused" entries the one it
   * was queued with), named as Frontdesk's copy has them now; null where the copy has no such patient.
   */
  patientId: string | null
  patientName: string | null
}

export interface ReferenceData {
  connectionId: string
  /** What this clinic system can do through its API, with notes on what it cannot (and why). */
  capabilities: {
    operations: string[]
    notes: Record<string, string>
    /** The patient details this clinic system lets Frontdesk change (empty without updatePatient). */
    patientFields: PatientChangeField[]
  }
  practitioners: { ref: string; name: string }[]
  appointmentTypes: { ref: string; name: string; lengthMinutes: number }[]
  locations: { ref: string; name: string }[]
}

export interface SlotView extends Slot {
  practitionerName?: string
  /** What the practitioner is, in the clinic system's words (e.g. "GP, MBBS MRCGP"). */
  practitionerRole?: string
  /** The site: the slot's location, or the clinic's only one when the slot names none. */
  locationName?: string
  /** When the clinic system last gave this slot (UTC); the finder shows its age. */
  fetchedAt?: string
  /** Offered from Frontdesk's copy while the clinic system is unreachable: checked when sent. */
  fromCopy?: boolean
}

/** The clinic system's answer for the range a finder shows, after it answered from the copy. */
export interface SlotsConfirmed {
  requestId: string
  connectionId: string
  slots: SlotView[]
  /** Slots shown from the copy that the clinic system no longer offers. */
  removed: number
  added: number
  /** Set when the clinic system could not be asked; the list stays as shown. */
  error?: string
}

export type TraceOutcome =
  | { outcome: 'found'; patient: Patient }
  /** The vendor needs the patient to prove who they are first (Hero: NHS login link). */
  | { outcome: 'must-verify-identity'; loginUrl: string; message: string }
  | { outcome: 'not-found' }

/**
 * What is wrong with an NHS number as typed (spaces allowed), said the way the forms say it beside
 * the field; null when nothing is, or when it is empty (each schema says whether that is allowed).
 */
function nhsNumberProblem(text: string): string | null {
  const digits = compactNhsNumber(text)
  if (!digits) return null
  if (!/^\d+$/.test(digits)) return 'An NHS number has digits only.'
  if (digits.length !== 10)
    return `An NHS number has 10 digits: there ${digits.length === 1 ? 'is 1' : `are ${digits.length}`} here.`
  if (!isValidNhsNumber(digits))
    return 'This is not a valid NHS number: its check digit is wrong. Check each digit with the patient.'
  return null
}
/** Checked before its length, so a long number is told how many digits it has. */
const checkedNhsNumber = (s: z.ZodString) =>
  s
    .superRefine((text, ctx) => {
      const problem = nhsNumberProblem(text)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    })
    .max(20)

const newPatient = z
  .object({
    givenName: z.string().trim().min(1, 'Enter the first name.').max(100, 'is too long'),
    familyName: z.string().trim().min(1, 'Enter the last name.').max(100, 'is too long'),
    birthDate: plainDate,
    nhsNumber: checkedNhsNumber(z.string().trim()).optional(),
    phone: z.string().trim().max(30).optional(),
    email: z.email({ message: 'is not an email address' }).optional(),
    postcode: z.string().trim().max(10, 'is too long for a postcode').optional(),
  })
  .strict()

/** A person at the desk, as the lock screen and settings list them (never their PIN). */
export interface StaffMember {
  id: string
  name: string
}

/**
 * Who is at the desk. With nobody listed (`staff` empty) there is no lock and changes are recorded
 * under the name typed in settings; with people listed, one of them unlocks with their PIN, every
 * change is recorded under their name, and the desk locks after `idleLockMinutes` without input.
 */
export interface DeskState {
  staff: StaffMember[]
  locked: boolean
  /** Who unlocked it (null while locked or with nobody listed). */
  current: StaffMember | null
  idleLockMinutes: number
}

/** A short PIN: 4 to 8 digits. */
const pin = z.string().regex(/^[0-9]{4,8}$/, 'must be 4 to 8 digits')

/** Why an appointment is cancelled, for a cancel and for the cancelling half of a rebook. */
const cancelReason = z
  .string()
  .trim()
  .min(1, 'is required: say why')
  .max(500, 'is too long: 500 characters at most')

/** What a new appointment is, for a booking and for the booking half of a rebook. */
const newBooking = z.object({
  appointmentTypeRef: id,
  practitionerRef: id.optional(),
  locationRef: id.optional(),
  start: isoInstant,
  end: isoInstant,
  slotToken: z.string().max(200).optional(),
  note: z.string().max(2000).optional(),
  /** The person has seen that this patient already has an appointment then, and books anyway. */
  confirmOverlap: z.boolean().optional(),
})

export const methods = {
  'app.info': method<AppInfo>()(empty),
  'app.health': method<AppHealth>()(empty),
  'connections.list': method<Connection[]>()(empty),
  'credentials.status': method<CredentialStatus>()(z.object({ connectionId: id }).strict()),
  'credentials.set': method<CredentialStatus>()(
    z
      .object({
        connectionId: id,
        fields: z
          .record(
            z.string().regex(/^[a-zA-Z]{1,40}$/, 'is not a credential field name'),
            z.string().min(1, 'must not be empty').max(4096, 'is too long'),
          )
          .refine((f) => Object.keys(f).length > 0, 'needs at least one value'),
      })
      .strict(),
  ),
  'credentials.delete': method<CredentialStatus>()(z.object({ connectionId: id }).strict()),
  /** Tries the stored credentials with the vendor's cheapest authenticated read. */
  'credentials.test': method<ConnectionCheck>()(z.object({ connectionId: id }).strict()),
  'connections.status': method<ConnectionStatus[]>()(empty),
  'connections.save': method<Connection>()(
    z
      .object({
        id: z
          .string()
          .trim()
          .regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'use lower-case letters, digits and dashes')
          .optional(),
        vendor: z.enum(vendors),
        label: z.string().trim().min(1, 'is required').max(80),
        baseUrl: z.url({ protocol: /^https?$/, message: 'must be a web address starting with https://' }),
        timeZone: z.string().trim().min(1, 'is required').max(60),
        locale: z
          .string()
          .trim()
          .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must look like en-GB')
          .default('en-GB'),
        options: z.record(z.string().regex(/^[a-zA-Z]{1,40}$/), z.string().max(500)).default({}),
      })
      .strict(),
  ),
  'connections.remove': method<{ removed: string }>()(z.object({ connectionId: id }).strict()),

  'patients.search': method<PatientSearchResult>()(
    z
      .object({
        text: z.string().max(200, 'is too long'),
        connectionIds: z.array(id).optional(),
        limit: z.number().int().min(1).max(200).optional(),
        /** Count matches up to this many while returning only `limit` of them. */
        countUpTo: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
  ),
  'patients.get': method<Patient>()(z.object({ patientId: id }).strict()),
  'patients.duplicates': method<LikelyDuplicate[]>()(
    z
      .object({
        connectionId: id,
        givenName: z.string().trim().min(1),
        familyName: z.string().trim().min(1),
        birthDate: plainDate,
      })
      .strict(),
  ),
  'patients.create': method<{ patient: Patient; message: string; delivery: Delivery }>()(
    z
      .object({
        connectionId: id,
        patient: newPatient,
        /** The person has seen the likely duplicates and says this is someone else. */
        confirmDuplicate: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Corrects contact details; sent through the outbox like every other write, offline too. */
  'patients.update': method<{ patient: Patient; message: string; delivery: Delivery }>()(
    z
      .object({
        patientId: id,
        changes: z
          .object({
            phone: z.string().trim().min(1, 'is required').max(30).optional(),
            email: z.email({ message: 'is not an email address' }).max(254).optional(),
            nhsNumber: checkedNhsNumber(z.string().trim().min(1, 'is required')).optional(),
            address: z
              .object({
                line: z.string().trim().max(200, 'is too long'),
                city: z.string().trim().max(100, 'is too long').optional(),
                postcode: z.string().trim().max(10, 'is too long for a postcode'),
              })
              .strict()
              .superRefine((a, ctx) => {
                if (a.line && a.postcode) return
                const missing =
                  !a.line && !a.postcode
                    ? 'first line and postcode'
                    : !a.line
                      ? 'first line too'
                      : 'postcode too'
                ctx.addIssue({ code: 'custom', message: `The address changes as one: enter its ${missing}.` })
              })
              .optional(),
          })
          .strict()
          .refine((c) => Object.values(c).some((v) => v !== undefined), {
            message: 'Nothing has been changed yet: change at least one detail.',
          }),
      })
      .strict(),
  ),

  'patients.trace': method<TraceOutcome>()(
    z
      .object({
        connectionId: id,
        nhsNumber: z.string().trim().max(20).optional(),
        givenName: z.string().trim().max(100).optional(),
        familyName: z.string().trim().max(100).optional(),
        birthDate: plainDate,
        postcode: z.string().trim().max(10).optional(),
      })
      .strict()
      .refine((q) => !!q.nhsNumber || (!!q.givenName && !!q.familyName && !!q.postcode), {
        message: 'Give the NHS number, or the first name, last name and postcode, with the date of birth.',
        path: ['nhsNumber'],
      }),
  ),
  'patients.appointments': method<AppointmentView[]>()(z.object({ patientId: id }).strict()),
  'reference.get': method<ReferenceData>()(z.object({ connectionId: id }).strict()),
  'slots.find': method<SlotView[]>()(
    z
      .object({
        connectionId: id,
        appointmentTypeRef: id,
        practitionerRef: id.optional(),
        locationRef: id.optional(),
        patientId: id.optional(),
        from: isoInstant.optional(),
        days: z.number().int().min(1).max(28).optional(),
        limit: z.number().int().min(1).max(200).optional(),
        /** Answer from the copy at once and send the clinic system's answer as `slotsConfirmed`. */
        requestId: z.string().trim().min(1).max(100).optional(),
      })
      .strict(),
  ),
  /** What the vendor would warn about before booking this time; empty when it has no such check. */
  'appointments.warnings': method<string[]>()(
    z
      .object({
        connectionId: id,
        practitionerRef: id,
        appointmentTypeRef: id,
        start: isoInstant,
        appointmentId: id.optional(),
      })
      .strict(),
  ),
  'appointments.day': method<DayColumn[]>()(
    z
      .object({
        date: plainDate,
        connectionIds: z.array(id).optional(),
        /** Read Frontdesk's copy only; the default also asks each clinic system (short timeout). */
        cacheOnly: z.boolean().optional(),
        /**
         * The `version` of each connection's column the caller holds: a column still at that version
         * comes back `unchanged`, without its lists (a packed day is megabytes to send and compare).
         */
        known: z.record(id, z.string().max(64)).optional(),
      })
      .strict(),
  ),
  'appointments.get': method<AppointmentView>()(z.object({ appointmentId: id }).strict()),
  /** A typed time checked against the practitioner's bookings in Frontdesk's copy; `clash` says why not. */
  'appointments.checkTime': method<{ clash: string | null }>()(
    z.object({ connectionId: id, practitionerRef: id, start: isoInstant, end: isoInstant }).strict(),
  ),
  'appointments.book': method<ActionResult>()(
    newBooking.extend({ connectionId: id, patientId: id }).strict(),
  ),
  /**
   * Cancel and rebook in one step: books the new appointment for the same patient and clinic
   * system, and cancels this one (with `reason`) once the new one is in the clinic system.
   */
  'appointments.rebook': method<ActionResult>()(
    z
      .object({
        appointmentId: id,
        reason: cancelReason,
        booking: newBooking.strict(),
      })
      .strict(),
  ),
  'appointments.reschedule': method<ActionResult>()(
    z
      .object({
        appointmentId: id,
        start: isoInstant,
        end: isoInstant,
        slotToken: z.string().max(200).optional(),
        practitionerRef: id.optional(),
      })
      .strict(),
  ),
  'appointments.cancel': method<ActionResult>()(
    z.object({ appointmentId: id, reason: cancelReason }).strict(),
  ),
  'appointments.markArrived': method<ActionResult>()(z.object({ appointmentId: id }).strict()),
  'appointments.markNoShow': method<ActionResult>()(z.object({ appointmentId: id }).strict()),
  /** Replaces the appointment's note with this text (empty clears it). */
  'appointments.updateNote': method<ActionResult>()(
    z
      .object({
        appointmentId: id,
        note: z.string().trim().max(2000, 'is too long: 2,000 characters at most'),
      })
      .strict(),
  ),
  /** Takes back an arrival or no-show: withdrawn while unsent, else as far as the clinic system allows. */
  'appointments.undoStatus': method<ActionResult>()(z.object({ appointmentId: id }).strict()),

  'queue.list': method<QueueItem[]>()(z.object({ connectionId: id.optional() }).strict()),
  'queue.retry': method<QueueItem>()(z.object({ seq }).strict()),
  'queue.discard': method<QueueItem[]>()(z.object({ seq }).strict()),
  /** "Send now": one waiting change (`seq`), or every waiting change of a connection, in the usual order. */
  'queue.sendNow': method<{ due: number }>()(z.object({ connectionId: id, seq: seq.optional() }).strict()),

  'audit.list': method<AuditEntry[]>()(
    z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  ),
  'settings.get': method<{
    staffName: string
    typeColours: Record<string, TypeColour>
    practitionerLinks: PractitionerLink[]
  }>()(empty),
  'settings.managed': method<ManagedSettingsView>()(empty),
  'support.preview': method<SupportBundlePreview>()(empty),
  /** A proxy's Basic sign-in password, into the keychain; `scope` is a connection id or `managed`. */
  'proxy.setPassword': method<{ scope: string }>()(
    z.object({ scope: id, password: z.string().min(1, 'is required').max(500) }).strict(),
  ),
  'support.save': method<{ path: string }>()(z.object({ id }).strict()),
  'settings.setStaffName': method<{ staffName: string }>()(
    z.object({ staffName: z.string().trim().min(1, 'is required').max(80) }).strict(),
  ),

  /** The colour of an appointment type on the day book, for everyone on this PC. */
  'settings.setTypeColour': method<{ typeColours: Record<string, TypeColour> }>()(
    z.object({ connectionId: id, typeRef: id, colour: z.enum(typeColourKeys) }).strict(),
  ),

  /** Every link of one clinician across clinic systems (replaces them all; the day book draws each as one lane). */
  'settings.setPractitionerLinks': method<{ practitionerLinks: PractitionerLink[] }>()(
    z.object({ links: z.array(practitionerLinkSchema).max(200) }).strict(),
  ),

  'desk.state': method<DeskState>()(empty),
  'desk.unlock': method<DeskState>()(z.object({ staffId: id, pin }).strict()),
  /** Locks now ("Switch person", or leaving the desk). */
  'desk.lock': method<DeskState>()(empty),
  /** The person is using the app (a key or a click), so the idle lock waits. */
  'desk.activity': method<{ lockAt: string | null }>()(empty),
  'desk.setIdleLock': method<DeskState>()(
    z
      .object({ minutes: z.number().int().min(1, 'must be at least 1').max(60, 'must be at most 60') })
      .strict(),
  ),
  'staff.add': method<DeskState>()(
    z.object({ name: z.string().trim().min(1, 'is required').max(80), pin }).strict(),
  ),
  'staff.remove': method<DeskState>()(z.object({ staffId: id }).strict()),
} as const

/** A connection's state as `connections.status` answers it, carried by the events that change it. */
const connectionStatusSchema = z.object({
  connectionId: z.string(),
  online: z.boolean(),
  since: z.string(),
  lastSuccessAt: z.string().nullable(),
  pending: z.number(),
  needsAttention: z.number(),
  oldestPendingAt: z.string().nullable(),
})

export const eventSchemas = {
  // Each carries the connection's whole status after the change, so a screen updates without asking.
  connectivityChanged: z.object({
    connectionId: z.string(),
    online: z.boolean(),
    since: z.string(),
    status: connectionStatusSchema,
  }),
  queueChanged: z.object({
    connectionId: z.string(),
    pending: z.number(),
    needsAttention: z.number(),
    status: connectionStatusSchema,
  }),
  syncProgress: z.object({
    connectionId: z.string(),
    phase: z.string(),
    done: z.number(),
    total: z.number(),
  }),
  slotsConfirmed: z.object({
    requestId: z.string(),
    connectionId: z.string(),
    slots: z.array(z.custom<SlotView>((v) => typeof v === 'object' && v !== null)),
    removed: z.number(),
    added: z.number(),
    error: z.string().optional(),
  }),
  deskChanged: z.object({ locked: z.boolean(), current: z.string().nullable() }),
} as const

export type MethodName = keyof typeof methods
export type EventName = keyof typeof eventSchemas
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]['input']>
export type MethodOutput<M extends MethodName> =
  (typeof methods)[M] extends MethodSpec<z.ZodType, infer O> ? O : never
export type EventPayload<E extends EventName> = z.output<(typeof eventSchemas)[E]>

export const methodNames = Object.keys(methods) as MethodName[]
export const eventNames = Object.keys(eventSchemas) as EventName[]

type Group<M extends string> = M extends `${infer G}.${string}` ? G : never
type Action<M extends string, G extends string> = M extends `${G}.${infer A}` ? A : never

/** What the renderer holds: `api.credentials.set({...})`, `api.events.queueChanged(listener)`. */
export type FrontdeskApi = {
  [G in Group<MethodName>]: {
    [M in MethodName as Action<M, G>]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>
  }
} & {
  events: { [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void }
}

/** The IPC channel of a method; one channel each, so the main process can register exactly these. */
export const channelOf = (name: MethodName) => `frontdesk:${name}`
export const eventChannelOf = (name: EventName) => `frontdesk-event:${name}`

/**
 * Builds the nested client from one transport function. Used by the preload (over IPC) and by the
 * browser client (over HTTP), so both expose exactly the contract's methods.
 */
export function buildClient(
  call: (name: MethodName, input: unknown) => Promise<Result<unknown>>,
  subscribe: (name: EventName, listener: (payload: unknown) => void) => () => void,
): FrontdeskApi {
  const api: Record<string, Record<string, unknown>> = { events: {} }
  for (const name of methodNames) {
    const [group, action] = name.split('.') as [string, string]
    api[group] ??= {}
    api[group][action] = (input: unknown) => call(name, input)
  }
  for (const name of eventNames) {
    api.events![name] = (listener: (payload: unknown) => void) => subscribe(name, listener)
  }
  return api as unknown as FrontdeskApi
}

export { vendors }
