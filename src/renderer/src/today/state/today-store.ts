/**
 * The day book's data: a date's columns per connection, held in the query cache by date
 * (`['appointments.day', { date }]`). Choosing a date, or Refresh, asks the clinic systems; queue,
 * connectivity and refresh-progress events re-read Frontdesk's copy alone (debounced). The cache's
 * structural sharing keeps an appointment object's identity when nothing about it changed, so
 * memoised cards do not re-render on every event.
 */
import { useQuery } from '@tanstack/react-query'
import { create } from 'zustand'
import type { ActionResult, DayColumn } from '../../../../shared/contract'
import { api } from '../../api/client'
import { answerOf, changed, contractKey, queryClient, setAnswered } from '../../data/query-client'
import { referenceOf } from '../../state/reference-store'
import { versionsOf, withHeldLists } from './day-versions'

export type DayAppointment = DayColumn['appointments'][number]

const METHOD = 'appointments.day'
/** A day's key: every connection's columns, or (a practitioner's week) only the named connections'. */
const dayKey = (date: string, connectionIds?: string[]) =>
  contractKey(METHOD, connectionIds ? { date, connectionIds } : { date })
/** Days (by key) whose next read asks the clinic systems, not only Frontdesk's copy. */
const askVendors = new Set<string>()

function readDay(date: string, connectionIds?: string[]) {
  return answerOf(async () => {
    const queryKey = dayKey(date, connectionIds)
    const cacheOnly = !askVendors.delete(JSON.stringify(queryKey))
    const ask = (known: Record<string, string>) =>
      api.appointments.day({
        date,
        ...(connectionIds ? { connectionIds } : {}),
        ...(cacheOnly ? { cacheOnly: true } : {}),
        ...(Object.keys(known).length ? { known } : {}),
      })
    let r = await ask(versionsOf(queryClient.getQueryData<DayColumn[]>(queryKey)))
    if (r.ok) {
      const whole = withHeldLists(r.value, queryClient.getQueryData<DayColumn[]>(queryKey))
      if (whole) r = { ...r, value: whole }
      else r = await ask({})
    }
    // Type and location names for the lanes (asked once a session: `reference-store`).
    if (r.ok) for (const c of r.value) void referenceOf(c.connectionId)
    return r
  })()
}

/**
 * A day's query: its columns, read as above. A day not on screen for a few minutes is let go (a
 * packed day is megabytes); it is read again when chosen.
 */
export const dayQuery = (date: string, connectionIds?: string[]) => ({
  queryKey: dayKey(date, connectionIds),
  queryFn: () => readDay(date, connectionIds),
  gcTime: 5 * 60_000,
})

/** The date's columns (undefined until read), whether a read is under way, and why the last failed. */
export function useDay(date: string): {
  columns: DayColumn[] | undefined
  loading: boolean
  error: string | null
} {
  const q = useQuery(dayQuery(date), queryClient)
  return { columns: q.data, loading: q.isFetching, error: q.error ? q.error.message : null }
}

/** Reads the day again, asking the clinic systems (a date chosen, or Refresh). */
export function loadDay(date: string, connectionIds?: string[]): Promise<void> {
  const queryKey = dayKey(date, connectionIds)
  askVendors.add(JSON.stringify(queryKey))
  return queryClient.invalidateQueries({ queryKey, exact: true, refetchType: 'all' })
}

let timer: ReturnType<typeof setTimeout> | undefined
/** Re-reads the copy for every day on screen (the day book's, a week's), once a burst of events has passed. */
export function refreshDays(): void {
  clearTimeout(timer)
  timer = setTimeout(() => changed([METHOD]), 300)
}

const withoutNote = ({ note: _note, ...rest }: DayAppointment): DayAppointment => rest

/** An action's answer: its appointment replaces ours at once in every day held, then the day is re-read. */
export function applyResult(result: ActionResult): void {
  const next = result.appointment
  // A day read under way was answered before the action: setAnswered lets it go.
  setAnswered<DayColumn[]>([METHOD], (columns) =>
    columns?.map((c) =>
      c.connectionId !== next.connectionId
        ? c
        : {
            ...c,
            // Changed here, so no longer the version read: the next read sends the lists again.
            version: '',
            // The answer's note is the note (none when cleared), not one left from before.
            appointments: c.appointments.map((a) => (a.id === next.id ? { ...withoutNote(a), ...next } : a)),
          },
    ),
  )
  refreshDays()
}

/** What a connection refused to do, by `${connectionId}:${action}`: shown on the disabled button. */
export const useRefusals = create<{
  refused: Record<string, string>
  remember(connectionId: string, action: string, reason: string): void
}>((set) => ({
  refused: {},
  remember(connectionId, action, reason) {
    set((s) => ({ refused: { ...s.refused, [`${connectionId}:${action}`]: reason } }))
  },
}))

// Something was queued, sent, or a connection came or went: read the day again (debounced).
api.events.queueChanged(refreshDays)
api.events.connectivityChanged(refreshDays)
// The background refresh finishing a phase (patients, a day's appointments) may fill in the page.
api.events.syncProgress((p) => {
  if (p.done === p.total) refreshDays()
})
