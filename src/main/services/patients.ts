/**
 * Patients: search runs on the local cache so typing feels instant even online; a new patient is
 * one local transaction like every other write, and reaches the vendor through the outbox.
 */
import { randomUUID } from 'node:crypto'
import type { NewPatient, Patient } from '../../shared/model'
import { isValidNhsNumber, compactNhsNumber } from '../../shared/nhs-number'
import { AppFailure } from '../../shared/result'
import type { AppointmentView, TraceOutcome } from '../../shared/contract'
import { type AppointmentRow, type CacheRepo, toPatient } from '../cache/cache-repo'
import type { VendorError } from '../vendors/errors'
import { searchCapability, searchPatients, type SearchResponse } from '../search'
import type { OutboxStore } from '../sync/outbox-store'
import type { SyncEngine } from '../sync/sync-engine'
import type { TraceResult, VendorAdapter } from '../vendors/types'
import type { ConnectionsRepo } from './connections'
import { unreachable, vendorFailure } from './vendor-failure'

export class PatientsService {
  constructor(
    private readonly connections: ConnectionsRepo,
    private readonly cache: CacheRepo,
    private readonly outbox: OutboxStore,
    private readonly sync: SyncEngine,
    private readonly adapterFor: (connectionId: string) => VendorAdapter,
    private readonly actor: () => string,
    private readonly appointmentView: (row: AppointmentRow) => AppointmentView,
  ) {}

  search(input: { text: string; connectionIds?: string[]; limit?: number }): SearchResponse {
    const searchable = this.connections
      .list()
      .filter((c) => !input.connectionIds || input.connectionIds.includes(c.id))
      .filter((c) => searchCapability(c.vendor).kind !== 'trace-only')
      .map((c) => c.id)
    return searchPatients(this.cache.db, {
      text: input.text,
      connectionIds: searchable,
      ...(input.limit ? { limit: input.limit } : {}),
    })
  }

  get(patientId: string): Patient {
    const row = this.cache.patientRow(patientId)
    if (!row) throw new AppFailure('not-found', 'That patient is not in Frontdesk.', 'patientId')
    return toPatient(row)
  }

  /** Same name and date of birth in the same clinic: shown as a warning before creating. */
  likelyDuplicates(
    connectionId: string,
    p: Pick<NewPatient, 'givenName' | 'familyName' | 'birthDate'>,
  ): Patient[] {
    const rows = this.cache.db
      .prepare(
        `SELECT * FROM patients WHERE connection_id = ? AND birth_date = ?
           AND lower(family_name) = lower(?) AND lower(given_name) = lower(?)`,
      )
      .all(connectionId, p.birthDate, p.familyName.trim(), p.givenName.trim()) as Parameters<
      typeof toPatient
    >[0][]
    return rows.map(toPatient)
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
    const rows = this.cache.db
      .prepare(
        `SELECT * FROM appointments WHERE patient_id = ? OR (connection_id = ? AND patient_ref = ?) ORDER BY start`,
      )
      .all(patientId, patient.connectionId, patient.ref ?? null) as AppointmentRow[]
    return rows.map((r) => this.appointmentView(r))
  }

  create(input: { connectionId: string; patient: NewPatient }): { patient: Patient; message: string } {
    const connection = this.connections.get(input.connectionId)
    const adapter = this.adapterFor(connection.id)
    if (!adapter.capabilities.operations.includes('createPatient')) {
      throw new AppFailure(
        'vendor-rejected',
        adapter.capabilities.notes.createPatient ??
          `${connection.label} does not let Frontdesk register patients.`,
      )
    }
    const nhs = input.patient.nhsNumber ? compactNhsNumber(input.patient.nhsNumber) : undefined
    if (nhs && !isValidNhsNumber(nhs)) {
      throw new AppFailure(
        'invalid-input',
        "That NHS number's check digit is wrong: please check it with the patient.",
        'patient.nhsNumber',
      )
    }
    const id = randomUUID()
    const patient: NewPatient = { ...input.patient, ...(nhs ? { nhsNumber: nhs } : {}) }
    this.outbox.enqueue(
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
        },
      },
    )
    void this.sync.drain(connection.id)
    this.sync.emitQueue(connection.id)
    return {
      patient: this.get(id),
      message: `Registered: ${patient.givenName} ${patient.familyName} — ${this.sync.deliveryNote(connection.id, connection.label)}.`,
    }
  }
}
