/**
 * The queue panel's data: every unfinished change per connection, and what each one is about
 * (the patient, the appointment, names of practitioners and appointment types) so a row can be
 * read in plain words. Kept current by the queue and connectivity events while someone watches.
 */
import { create } from 'zustand'
import type { AppointmentView, QueueItem, ReferenceData } from '../../../shared/contract'
import type { Patient } from '../../../shared/model'
import { api } from '../api/client'

interface QueueState {
  items: QueueItem[]
  loaded: boolean
  error: string | null
  patients: Record<string, Patient>
  appointments: Record<string, AppointmentView>
  reference: Record<string, ReferenceData>
  load(): Promise<void>
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined)

/** The local patient and appointment ids a queued change names, when it names them. */
export function idsOf(item: QueueItem): { patientId?: string; appointmentId?: string } {
  const p = item.payload
  return {
    ...(str(p.patientId) ? { patientId: str(p.patientId)! } : {}),
    ...(str(p.appointmentId) ? { appointmentId: str(p.appointmentId)! } : {}),
  }
}

let loading: Promise<void> | null = null
let again = false

export const useQueueStore = create<QueueState>((set, get) => ({
  items: [],
  loaded: false,
  error: null,
  patients: {},
  appointments: {},
  reference: {},
  async load() {
    // One load at a time; a burst of events while it runs becomes one more load.
    if (loading) {
      again = true
      return loading
    }
    loading = (async () => {
      do {
        again = false
        const r = await api.queue.list({})
        if (!r.ok) {
          set({ error: r.error.message, loaded: true })
          continue
        }
        const items = r.value
        const appointments: Record<string, AppointmentView> = {}
        const patients = { ...get().patients }
        const reference = { ...get().reference }
        await Promise.all(
          [...new Set(items.map((i) => idsOf(i).appointmentId).filter((x): x is string => !!x))].map(
            async (appointmentId) => {
              const a = await api.appointments.get({ appointmentId })
              if (a.ok) appointments[appointmentId] = a.value
            },
          ),
        )
        const patientIds = new Set<string>()
        for (const i of items) {
          const { patientId, appointmentId } = idsOf(i)
          const id = patientId ?? (appointmentId ? appointments[appointmentId]?.patientId : undefined)
          if (id && !patients[id]) patientIds.add(id)
        }
        await Promise.all(
          [...patientIds].map(async (patientId) => {
            const p = await api.patients.get({ patientId })
            if (p.ok) patients[patientId] = p.value
          }),
        )
        await Promise.all(
          [...new Set(items.map((i) => i.connectionId))]
            .filter((id) => !(reference[id]?.practitioners.length ?? 0))
            .map(async (connectionId) => {
              const ref = await api.reference.get({ connectionId })
              if (ref.ok) reference[connectionId] = ref.value
            }),
        )
        set({ items, appointments, patients, reference, loaded: true, error: null })
      } while (again)
    })().finally(() => {
      loading = null
    })
    return loading
  },
}))
