/**
 * The waiting room's data: today's appointments from Frontdesk's copy only (so the screen never
 * waits on a clinic system), one read per clinic "today" (connections in different zones may be on
 * different dates). Each read is one of the day book's day queries (`today/state/today-store`),
 * which read the copy alone unless a date is chosen in the day book, and which the queue,
 * connectivity and finished-refresh events re-read while the screen is open. Nothing polls.
 */
import { type QueryObserverResult, useQueries } from '@tanstack/react-query'
import { useMemo } from 'react'
import type { DayColumn } from '../../../shared/contract'
import { queryClient } from '../data/query-client'
import { dayQuery } from '../today/state/today-store'

/** One `appointments.day` read: a date and the connections whose today it is (all when absent). */
export interface DayAsk {
  date: string
  connectionIds?: string[]
}

/** The reads' answers as one list of columns once all are in (one function, so the cache can keep the object). */
function combine(results: QueryObserverResult<DayColumn[]>[]) {
  const failed = results.find((r) => r.error)
  return {
    columns: results.every((r) => r.data) ? results.flatMap((r) => r.data!) : null,
    error: failed?.error ? failed.error.message : null,
  }
}

/** Every column the asks answer (null until all are read), and why a read failed. */
export function useWaitingDay(asks: DayAsk[]): { columns: DayColumn[] | null; error: string | null } {
  // The same asks as a new array (the screen's clock ticking) are the same reads.
  const key = JSON.stringify(asks)
  const stable = useMemo(() => JSON.parse(key) as DayAsk[], [key])
  return useQueries({ queries: stable.map((a) => dayQuery(a.date, a.connectionIds)), combine }, queryClient)
}
