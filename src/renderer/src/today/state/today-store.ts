/**
 * The day book's data: the chosen date's columns per connection, refreshed on queue and connectivity
 * events (debounced). Appointment objects keep their identity across refreshes when nothing about
 * them changed, so memoised cards do not re-render on every event.
 */
import { create } from 'zustand'
import type { ActionResult, DayColumn } from '../../../../shared/contract'
import { api } from '../../api/client'
import { referenceOf } from '../../state/reference-store'

export type DayAppointment = DayColumn['appointments'][number]

interface TodayState {
  /** The date the columns are for; null before the first load. */
  date: string | null
  columns: DayColumn[] | null
  loading: boolean
  error: string | null
  /** What a connection refused to do, by `${connectionId}:${action}`: shown on the disabled button. */
  refused: Record<string, string>
  /** `cacheOnly`: re-read Frontdesk's copy without asking the clinic systems (event-driven refreshes). */
  load(date: string, opts?: { cacheOnly?: boolean }): Promise<void>
  refresh(): void
  /** An action's answer: its appointment replaces ours at once, then the day is re-read. */
  applyResult(result: ActionResult): void
  remember(connectionId: string, action: string, reason: string): void
}

const withoutNote = ({ note: _note, ...rest }: DayAppointment): DayAppointment => rest

let generation = 0
let timer: ReturnType<typeof setTimeout> | undefined

/** Same contents → the old object, so React.memo sees no change. */
function reuse(prev: DayColumn[] | null, next: DayColumn[]): DayColumn[] {
  if (!prev) return next
  const old = new Map<string, { a: DayAppointment; json: string }>()
  for (const c of prev)
    for (const a of c.appointments) if (a.id) old.set(a.id, { a, json: JSON.stringify(a) })
  return next.map((c) => ({
    ...c,
    appointments: c.appointments.map((a) => {
      const o = a.id ? old.get(a.id) : undefined
      return o && o.json === JSON.stringify(a) ? o.a : a
    }),
  }))
}

export const useToday = create<TodayState>((set, get) => ({
  date: null,
  columns: null,
  loading: false,
  error: null,
  refused: {},
  async load(date, opts = {}) {
    const mine = ++generation
    const sameDay = get().date === date
    set({ date, loading: true, ...(sameDay ? {} : { columns: null, error: null }) })
    const r = await api.appointments.day({ date, ...(opts.cacheOnly ? { cacheOnly: true } : {}) })
    // Another day was chosen meanwhile: drop this answer. (A newer read of the same day may finish
    // first; either answer is current enough, and dropping them could starve a busy screen.)
    if (get().date !== date) return
    if (mine === generation) set({ loading: false })
    if (!r.ok) {
      set({ error: r.error.message })
      return
    }
    set((s) => ({
      error: null,
      columns: reuse(s.columns, r.value),
    }))
    // Type and location names for the lanes (asked once a session: `reference-store`).
    for (const c of r.value) void referenceOf(c.connectionId)
  },
  refresh() {
    clearTimeout(timer)
    timer = setTimeout(() => {
      const d = get().date
      if (d) void get().load(d, { cacheOnly: true })
    }, 300)
  },
  applyResult(result) {
    const next = result.appointment
    set((s) => ({
      columns:
        s.columns?.map((c) =>
          c.connectionId !== next.connectionId
            ? c
            : {
                ...c,
                // The answer's note is the note (none when cleared), not one left from before.
                appointments: c.appointments.map((a) =>
                  a.id === next.id ? { ...withoutNote(a), ...next } : a,
                ),
              },
        ) ?? null,
    }))
    get().refresh()
  },
  remember(connectionId, action, reason) {
    set((s) => ({ refused: { ...s.refused, [`${connectionId}:${action}`]: reason } }))
  },
}))

// Something was queued, sent, or a connection came or went: read the day again (debounced).
api.events.queueChanged(() => useToday.getState().refresh())
api.events.connectivityChanged(() => useToday.getState().refresh())
// The background refresh finishing a phase (patients, a day's appointments) may fill in the page.
api.events.syncProgress((p) => {
  if (p.done === p.total) useToday.getState().refresh()
})
