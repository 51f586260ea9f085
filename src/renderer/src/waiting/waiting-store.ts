/**
 * The waiting room's data: today's appointments from Frontdesk's copy only (`cacheOnly`, so the
 * screen never waits on a clinic system), one read per clinic "today" (connections in different
 * zones may be on different dates), re-read on the same events as the day book while the screen
 * is open.
 */
import { useEffect } from 'react'
import { create } from 'zustand'
import type { DayColumn } from '../../../shared/contract'
import { api } from '../api/client'
import { referenceOf } from '../state/reference-store'

/** One `appointments.day` read: a date and the connections whose today it is (all when absent). */
export interface DayAsk {
  date: string
  connectionIds?: string[]
}

interface WaitingState {
  /** What the columns answer (JSON of the asks); null before the first read. */
  key: string | null
  columns: DayColumn[] | null
  error: string | null
  load(asks: DayAsk[]): Promise<void>
  /** Re-reads the copy for the current asks (debounced): after a queue, connectivity or sync event. */
  refresh(): void
}

let started = 0
/** The newest read whose answer was kept: an older read finishing later is dropped. */
let applied = 0
let current: DayAsk[] = []
let timer: ReturnType<typeof setTimeout> | undefined

export const useWaiting = create<WaitingState>((set, get) => ({
  key: null,
  columns: null,
  error: null,
  async load(asks) {
    const mine = ++started
    const key = JSON.stringify(asks)
    current = asks
    if (get().key !== key) set({ key, columns: null, error: null })
    const answers = await Promise.all(
      asks.map((a) =>
        api.appointments.day({
          date: a.date,
          ...(a.connectionIds ? { connectionIds: a.connectionIds } : {}),
          cacheOnly: true,
        }),
      ),
    )
    if (get().key !== key || mine < applied) return
    applied = mine
    const failed = answers.find((r) => !r.ok)
    if (failed && !failed.ok) {
      set({ error: failed.error.message })
      return
    }
    const columns = answers.flatMap((r) => (r.ok ? r.value : []))
    set({ columns, error: null })
    // Location names for the sections (asked once a session: `reference-store`).
    for (const c of columns) void referenceOf(c.connectionId)
  },
  refresh() {
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (get().key !== null) void get().load(current)
    }, 300)
  },
}))

/**
 * Keeps the waiting room's copy current while the screen is open: reads when the asks change
 * (a new day in a clinic's zone, connections loaded), and again on queue, connectivity and
 * finished sync events, like the day book. Nothing polls the clinic systems.
 */
export function useWaitingDay(asks: DayAsk[]): void {
  const key = JSON.stringify(asks)
  const load = useWaiting((s) => s.load)
  useEffect(() => {
    void load(JSON.parse(key) as DayAsk[])
  }, [key, load])
  useEffect(() => {
    const refresh = () => useWaiting.getState().refresh()
    const offs = [
      api.events.queueChanged(refresh),
      api.events.connectivityChanged(refresh),
      api.events.syncProgress((p) => {
        if (p.done === p.total) refresh()
      }),
    ]
    return () => {
      clearTimeout(timer)
      for (const off of offs) off()
    }
  }, [])
}
