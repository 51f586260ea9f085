/**
 * Patients: search runs on the local cache so typing feels instant even online; a new patient is
 * one local transaction like every other write, and reaches the vendor through the outbox.
 */
import { randomUUID } from 'node:crypto'
import type { NewPatient, Patient, PatientChanges } from '../../shared/model'
import { parseBirthDate } from '../../shared/birth-date'
import { toE164 } from '../../shared/phone'
import { isValidNhsNumber, compactNhsNumber, formatNhsNumber } from '../../shared/nhs-number'
import { AppFailure } from '../../shared/result'
import type { AppointmentView, LikelyDuplicate, TraceOutcome } from '../../shared/contract'
import { type AppointmentRow, type CacheRepo, toPatient, withChanges } from '../cache/cache-repo'
import { compactName } from '../search/normalise'
import { slips, swapDayMonth } from '../search/similar'
import type { VendorError } from '../vendors/errors'
import { localDate } from '../vendors/normalise'
import { searchCapability, searchPatients, type SearchResponse } from '../search'
import type { OutboxRepo } from '../sync/outbox-repo'
import type { SyncEngine } from '../sync/sync-engine'
import type { TraceResult, VendorAdapter } from '../vendors/types'
import type { ConnectionsRepo } from '../store/connections-repo'
import { firstAttempt } from './appointments'
import { type Delivery, deliveryMessage } from '../../shared/delivery'
import { unreachable, vendorFailure } from './vendor-failure'

export class PatientsService {
  /** How long a registration waits for its first sending attempt before answering "sending…". */
  firstAttemptMs = 1_000

  constructor(
    private readonly connections: ConnectionsRepo,
    private readonly cache: CacheRepo,
    private readonly outbox: OutboxRepo,
    private readonly sync: SyncEngine,
    private readonly adapterFor: (connectionId: string) => VendorAdapter,
    private readonly actor: () => string,
    private readonly appointmentView: (row: AppointmentRow) => AppointmentView,
  ) {}

  search(input: {
    text: string
    connectionIds?: string[]
    limit?: number
    countUpTo?: number
  }): SearchResponse {
    const searchable = this.connections
      .list()
      .filter((c) => !input.connectionIds || input.connectionIds.includes(c.id))
      .filter((c) => searchCapability(c.vendor).kind !== 'trace-only')
    // A date typed is checked against the clinic's today on the app's clock, not the PC's UTC date:
    // just after midnight in London a baby born today is found, and in New York in the evening
    // tomorrow is not taken for a birth date. Several clinics: the latest of their todays.
    const now = this.cache.instant()
    const today = searchable
      .map((c) => localDate(now, c.timeZone))
      .reduce<string | undefined>((latest, d) => (latest && latest > d ? latest : d), undefined)
    return searchPatients(this.cache.db, {
      text: input.text,
      connectionIds: searchable.map((c) => c.id),
      today: today ?? localDate(now, 'UTC'),
      ...(input.limit ? { limit: input.limit } : {}),
      ...(input.countUpTo ? { countUpTo: input.countUpTo } : {}),
    })
  }

  get(patientId: string): Patient {
    const row = this.cache.patientRow(patientId)
    if (!row) throw new AppFailure('not-found', 'That patient is not in Frontdesk.', 'patientId')
    return toPatient(row)
  }

  /**
   * Likely the same person in the same clinic, each with the reason: the same NHS number; the same
   * name (case, accents and punctuation aside: "O'Brien" is "OBrien") and date of birth; a name a
   * typing slip or two away ("Kuar" for "Kaur", "May" for "Mei") or surname and first name swapped,
   * with the same date of birth; or the same name with day and month of birth swapped.
   */
  likelyDuplicates(
    connectionId: string,
    p: Pick<NewPatient, 'givenName' | 'familyName' | 'birthDate'> & { nhsNumber?: string | undefined },
  ): LikelyDuplicate[] {
    const nhs = p.nhsNumber ? compactNhsNumber(p.nhsNumber) : null
    const swapped = swapDayMonth(p.birthDate)
    const rows = [
      ...this.cache.patientsBornOnOrNumbered(connectionId, p.birthDate, nhs),
      ...(swapped ? this.cache.patientsBornOnOrNumbered(connectionId, swapped, null) : []),
    ]
    const given = compactName(p.givenName)
    const family = compactName(p.familyName)
    const out: LikelyDuplicate[] = []
    const seen = new Set<string>()
    for (const r of rows) {
      if (seen.has(r.id)) continue
      seen.add(r.id)
      const why = duplicateReason(r, { given, family, birthDate: p.birthDate, nhs })
      if (why) out.push({ ...toPatient(r), why })
    }
    // The surest reasons first.
    return out.sort((a, b) => REASON_ORDER.indexOf(a.why) - REASON_ORDER.indexOf(b.why))
  }

  /** Hero's exact PDS trace: a found patient is cached so the rest of the app can use it. */
  async trace(input: {
    connectionId: string
    nhsNumber?: string
    givenName?: string
    familyName?: string
    birthDate: string
    postcode?: string
  }): Promise<TraceOutcome> {
    const connection = this.connections.get(input.connectionId)
    const adapter = this.adapterFor(connection.id)
    if (!adapter.tracePatient) {
      throw new AppFailure('vendor-rejected', `${connection.label} finds patients by search, not by a trace.`)
    }
    const nhs = input.nhsNumber ? compactNhsNumber(input.nhsNumber) : undefined
    if (nhs && !isValidNhsNumber(nhs)) {
      throw new AppFailure(
        'invalid-input',
        "That NHS number's check digit is wrong: please check it with the patient.",
        'nhsNumber',
      )
    }
    let result: TraceResult
    try {
      result = await adapter.tracePatient(
        nhs
          ? { nhsNumber: nhs, birthDate: input.birthDate }
          : {
              givenName: input.givenName!,
              familyName: input.familyName!,
              birthDate: input.birthDate,
              postcode: input.postcode!,
            },
      )
      this.sync.setOnline(connection.id, true)
    } catch (err) {
      if (unreachable(err)) this.sync.setOnline(connection.id, false, err as VendorError)
      throw vendorFailure(err, 'The trace did not go through')
    }
    if (result.outcome !== 'found') return result
    const known = this.cache.patientByRef(connection.id, result.patientRef)
    const fromVendor = result.patient
    const id = this.cache.upsertPatient({
      connectionId: connection.id,
      ref: result.patientRef,
      // The trace answers with an id only: keep what the receptionist typed, which the Spine matched.
      givenName: fromVendor?.givenName ?? known?.given_name ?? input.givenName ?? '',
      familyName: fromVendor?.familyName ?? known?.family_name ?? input.familyName ?? '',
      birthDate: fromVendor?.birthDate ?? input.birthDate,
      ...((nhs ?? fromVendor?.nhsNumber ?? known?.nhs_number)
        ? { nhsNumber: (nhs ?? fromVendor?.nhsNumber ?? known?.nhs_number)! }
        : {}),
      ...((input.postcode ?? known?.postcode) ? { postcode: (input.postcode ?? known?.postcode)! } : {}),
    })
    return { outcome: 'found', patient: this.get(id) }
  }

  appointments(patientId: string): AppointmentView[] {
    const patient = this.get(patientId)
    const rows = this.cache.patientAppointments(patientId, patient.connectionId, patient.ref ?? null)
    return rows.map((r) => this.appointmentView(r))
  }

  create(input: {
    connectionId: string
    patient: NewPatient
    confirmDuplicate?: boolean
  }): Promise<{ patient: Patient; message: string; delivery: Delivery }> {
    const connection = this.connections.get(input.connectionId)
    const adapter = this.adapterFor(connection.id)
    if (!adapter.capabilities.operations.includes('createPatient')) {
      throw new AppFailure(
        'vendor-rejected',
        adapter.capabilities.notes.createPatient ??
          `${connection.label} does not let Frontdesk register patients.`,
      )
    }
    // The form's rule, here too: never a date of birth in the future or more than 125 years ago.
    const born = parseBirthDate(input.patient.birthDate, localDate(this.cache.instant(), connection.timeZone))
    if (!born.ok) throw new AppFailure('invalid-input', `Date of birth: ${born.message}`, 'patient.birthDate')
    const nhs = input.patient.nhsNumber ? compactNhsNumber(input.patient.nhsNumber) : undefined
    if (nhs && !isValidNhsNumber(nhs)) {
      throw new AppFailure(
        'invalid-input',
        "That NHS number's check digit is wrong: please check it with the patient.",
        'patient.nhsNumber',
      )
    }
    // The rule lives here, not only in the form: every caller gets the same question.
    const duplicates = this.likelyDuplicates(connection.id, { ...input.patient, nhsNumber: nhs })
    if (duplicates.length > 0 && !input.confirmDuplicate) {
      throw new AppFailure(
        'needs-confirmation',
        duplicateMessage(connection.label, input.patient, duplicates),
        'confirmDuplicate',
      )
    }
    const id = randomUUID()
    const patient: NewPatient = { ...input.patient, ...(nhs ? { nhsNumber: nhs } : {}) }
    const queued = this.outbox.enqueue(
      {
        connectionId: connection.id,
        entityKey: `patient:${id}`,
        kind: 'createPatient',
        payload: { patientId: id, patient },
        undo: { table: 'patients', id, before: null },
        actor: this.actor(),
      },
      () =>
        this.cache.upsertPatient({
          id,
          connectionId: connection.id,
          givenName: patient.givenName.trim(),
          familyName: patient.familyName.trim(),
          birthDate: patient.birthDate,
          ...(nhs ? { nhsNumber: nhs } : {}),
          ...(patient.phone ? { phone: patient.phone } : {}),
          ...(patient.email ? { email: patient.email } : {}),
          ...(patient.postcode ? { postcode: patient.postcode } : {}),
        }),
      {
        entity: 'patient',
        entityId: id,
        action: 'createPatient',
        change: {
          givenName: patient.givenName,
          familyName: patient.familyName,
          birthDate: patient.birthDate,
          ...(duplicates.length > 0 ? { confirmedNotDuplicateOf: duplicates.map((d) => d.id) } : {}),
        },
      },
    )
    const attempt = this.sync.drain(connection.id)
    this.sync.emitQueue(connection.id)
    return this.announce(id, `Registered: ${patient.givenName} ${patient.familyName}`, queued.seq, attempt)
  }

  /**
   * Corrects a patient's contact details: checked here (every caller gets the same rules), shown
   * at once in the copy, and sent through the outbox like every other write. The copy's row as it
   * was is kept, so discarding the change puts it back.
   */
  update(input: { patientId: string; changes: PatientChanges }): Promise<{
    patient: Patient
    message: string
    delivery: Delivery
  }> {
    const row = this.cache.patientRow(input.patientId)
    if (!row) throw new AppFailure('not-found', 'That patient is not in Frontdesk.', 'patientId')
    const connection = this.connections.get(row.connection_id)
    const adapter = this.adapterFor(connection.id)
    if (!adapter.capabilities.operations.includes('updatePatient')) {
      throw new AppFailure(
        'vendor-rejected',
        adapter.capabilities.notes.updatePatient ??
          `${connection.label} does not let Frontdesk change patient details: change them in ${connection.label}.`,
      )
    }
    const changes = checkedChanges(input.changes)
    // Checked here, not only by the form: a detail the vendor's API cannot change would never arrive.
    const fixed = (Object.keys(changes) as (keyof PatientChanges)[]).filter(
      (f) => !adapter.capabilities.patientFields.includes(f),
    )
    if (fixed.length > 0) {
      throw new AppFailure(
        'vendor-rejected',
        `${connection.label} does not let Frontdesk change the ${fixed.map((f) => FIELD_WORDS[f]).join(' or ')}: change ${fixed.length > 1 ? 'them' : 'it'} in ${connection.label}.`,
        `changes.${fixed[0]!}`,
      )
    }
    const before = { ...row }
    const name = `${row.given_name} ${row.family_name}`
    const queued = this.outbox.enqueue(
      {
        connectionId: connection.id,
        entityKey: `patient:${row.id}`,
        kind: 'updatePatient',
        payload: { patientId: row.id, changes },
        undo: { table: 'patients', id: row.id, before },
        actor: this.actor(),
      },
      () => this.cache.upsertPatient(withChanges(toPatient(row), changes)),
      {
        entity: 'patient',
        entityId: row.id,
        action: 'updatePatient',
        change: { patientId: row.id, patientName: name, ...changedFrom(row, changes) },
      },
    )
    const attempt = this.sync.drain(connection.id)
    this.sync.emitQueue(connection.id)
    const fields = Object.keys(changes)
      .map((k) => FIELD_WORDS[k as keyof PatientChanges])
      .join(', ')
    return this.announce(row.id, `Details changed: ${name} (${fields})`, queued.seq, attempt)
  }

  /** The confirmation from the first sending attempt's outcome (see `firstAttempt`). */
  private async announce(id: string, what: string, seq: number, attempt: Promise<void>) {
    const patient = this.get(id)
    const state = await firstAttempt(this.outbox, seq, attempt, this.firstAttemptMs)
    const label = this.connections.get(patient.connectionId).label
    const delivery: Delivery = { seq, connectionId: patient.connectionId, label, what, state }
    return { patient: this.get(id), message: deliveryMessage(delivery), delivery }
  }
}

const FIELD_WORDS: Record<keyof PatientChanges, string> = {
  phone: 'phone',
  email: 'email',
  nhsNumber: 'NHS number',
  address: 'address',
}

/** The changes as the vendor will get them: phone in E.164, NHS number checked, postcode in capitals. */
function checkedChanges(c: PatientChanges): PatientChanges {
  const out: PatientChanges = {}
  if (c.phone !== undefined) {
    const phone = toE164(c.phone)
    if (!phone)
      throw new AppFailure('invalid-input', 'That is not a phone number Frontdesk can dial.', 'changes.phone')
    out.phone = phone
  }
  if (c.email !== undefined) out.email = c.email.trim()
  if (c.nhsNumber !== undefined) {
    const nhs = compactNhsNumber(c.nhsNumber)
    if (!isValidNhsNumber(nhs))
      throw new AppFailure(
        'invalid-input',
        "That NHS number's check digit is wrong: please check it with the patient.",
        'changes.nhsNumber',
      )
    out.nhsNumber = nhs
  }
  if (c.address !== undefined) {
    const line = c.address.line.trim()
    const postcode = c.address.postcode.trim().toUpperCase().replace(/\s+/g, ' ')
    if (!line || !postcode)
      throw new AppFailure(
        'invalid-input',
        'An address needs its first line and its postcode.',
        'changes.address',
      )
    out.address = { line, postcode, ...(c.address.city?.trim() ? { city: c.address.city.trim() } : {}) }
  }
  if (Object.keys(out).length === 0)
    throw new AppFailure('invalid-input', 'Change at least one detail.', 'changes')
  return out
}

/** For the audit log: each changed field, from and to. */
function changedFrom(
  row: { phone: string | null; email: string | null; nhs_number: string | null; postcode: string | null },
  c: PatientChanges,
) {
  return {
    changes: {
      ...(c.phone ? { phone: { from: row.phone, to: c.phone } } : {}),
      ...(c.email ? { email: { from: row.email, to: c.email } } : {}),
      ...(c.nhsNumber ? { nhsNumber: { from: row.nhs_number, to: c.nhsNumber } } : {}),
      ...(c.address ? { postcode: { from: row.postcode, to: c.address.postcode } } : {}),
    },
  }
}

const REASON_ORDER = [
  'same NHS number',
  'same name and date of birth',
  'similar name, same date of birth',
  'surname and first name swapped, same date of birth',
  'same name, day and month of birth swapped',
]

/** Names a slip or two apart: two at most in all, and never a whole name replaced. */
function similarNames(a: string, b: string, budget: number): number | null {
  const d = slips(a, b)
  return d <= budget && d < Math.min(a.length, b.length) ? d : null
}

/** Why a cached patient may be the one being registered, or null when it is not. */
function duplicateReason(
  r: { given_name: string; family_name: string; birth_date: string; nhs_number: string | null },
  p: { given: string; family: string; birthDate: string; nhs: string | null },
): string | null {
  if (p.nhs && r.nhs_number === p.nhs) return 'same NHS number'
  const given = compactName(r.given_name)
  const family = compactName(r.family_name)
  if (r.birth_date === p.birthDate) {
    if (given === p.given && family === p.family) return 'same name and date of birth'
    const f = similarNames(family, p.family, 2)
    const g = f === null ? null : similarNames(given, p.given, 2 - f)
    if (g !== null) return 'similar name, same date of birth'
    if (given === p.family && family === p.given) return 'surname and first name swapped, same date of birth'
    return null
  }
  if (swapDayMonth(p.birthDate) === r.birth_date && given === p.given && family === p.family)
    return 'same name, day and month of birth swapped'
  return null
}

/** "Possibly already registered at Riverside Clinic: Ada Lovelace, born 1815-12-10, NHS number 943 476 5919 (same NHS number). …" */
function duplicateMessage(label: string, p: NewPatient, found: LikelyDuplicate[]): string {
  const who = found
    .slice(0, 3)
    .map((d) => {
      const why = d.why
      const ids = [
        `born ${d.birthDate}`,
        ...(d.nhsNumber ? [`NHS number ${formatNhsNumber(d.nhsNumber)}`] : []),
        ...(d.ref ? [`clinic ID ${d.ref}`] : []),
      ]
      return `${d.givenName} ${d.familyName}, ${ids.join(', ')} (${why})`
    })
    .join('; ')
  const more = found.length > 3 ? ` and ${found.length - 3} more` : ''
  return (
    `${p.givenName.trim()} ${p.familyName.trim()} may already be registered at ${label}: ${who}${more}. ` +
    'Check with the patient; register a new record only if this is a different person.'
  )
}
