import { create } from 'zustand'
import { NO_FILTER, type DayFilter } from '../today/layout'

export type ViewId =
  'today' | 'patients' | 'patient' | 'queue' | 'settings' | 'audit' | 'outage' | 'waiting' | 'status'

export interface Toast {
  id: number
  text: string
  tone: 'info' | 'success' | 'warning' | 'error'
  /** One button beside the words (e.g. Undo), offered until the toast drops it. */
  action?: { label: string; run(): void }
}

export interface ProposedMove {
  appointmentId: string
  start: string
  end: string
  practitionerRef: string
}

interface UiState {
  view: ViewId
  /** The patient card on show, when `view` is 'patient'. */
  patientId: string | null
  /** The appointment opened from the day book or a patient card. */
  appointmentId: string | null
  /** The day book's date, YYYY-MM-DD. */
  date: string | null
  /** What the day book shows (site, practitioner, type); kept while the day changes. */
  dayFilter: DayFilter
  /** The day book as one day for everyone, or one practitioner's week. */
  dayMode: 'day' | 'week'
  /**
   * An appointment dragged to another time in the day book: its drawer opens on the reschedule
   * step with this time chosen, and nothing moves until the person confirms it there.
   */
  proposedMove: ProposedMove | null
  searchOpen: boolean
  toasts: Toast[]
  go(view: ViewId): void
  openPatient(patientId: string): void
  openAppointment(appointmentId: string | null): void
  /** A day for the day book, or null for the clinic's today. */
  setDate(date: string | null): void
  setDayFilter(change: Partial<DayFilter>): void
  setDayMode(mode: 'day' | 'week'): void
  /** Opens the appointment with a move to confirm (null: forget any). */
  proposeMove(move: ProposedMove | null): void
  /** The Today screen on the clinic's today, nothing opened. */
  showToday(): void
  setSearchOpen(open: boolean): void
  /** A confirmation in plain words; an error stays until dismissed, the rest go by themselves. */
  notify(text: string, tone?: Toast['tone'], opts?: { stay?: boolean; action?: Toast['action'] }): number
  /** Rewrites a toast in place (a confirmation whose sending attempt has now finished). */
  update(id: number, text: string, tone: Toast['tone']): void
  dismiss(id: number): void
  /** Takes the button off a toast (its moment has passed), keeping the words. */
  dropAction(id: number): void
}

let nextToast = 1

/** How long a toast of each tone stays by itself; an error stays until dismissed. */
const staysMs: Partial<Record<Toast['tone'], number>> = { success: 8_000, info: 8_000, warning: 20_000 }

/**
 * Good news goes by itself after a while, a warning after longer (it is also in the banner or the
 * queue); a toast rewritten since into something graver keeps its own, longer time.
 */
function goesAfterAWhile(id: number, tone: Toast['tone']) {
  const ms = staysMs[tone]
  if (ms === undefined) return
  setTimeout(
    () =>
      useUi.setState((s) => ({
        toasts: s.toasts.filter((t) => t.id !== id || (staysMs[t.tone] ?? Infinity) > ms),
      })),
    ms,
  )
}

export const useUi = create<UiState>((set) => ({
  view: 'today',
  patientId: null,
  appointmentId: null,
  date: null,
  dayFilter: NO_FILTER,
  dayMode: 'day',
  proposedMove: null,
  searchOpen: false,
  toasts: [],
  go: (view) => set({ view }),
  openPatient: (patientId) => set({ view: 'patient', patientId, searchOpen: false }),
  openAppointment: (appointmentId) => set({ appointmentId, proposedMove: null }),
  setDate: (date) => set({ date }),
  setDayFilter: (change) => set((s) => ({ dayFilter: { ...s.dayFilter, ...change } })),
  setDayMode: (dayMode) => set({ dayMode }),
  proposeMove: (proposedMove) =>
    set(proposedMove ? { proposedMove, appointmentId: proposedMove.appointmentId } : { proposedMove }),
  showToday: () => set({ view: 'today', date: null, appointmentId: null }),
  // Called on every keystroke in the search box: unchanged, it notifies nobody (no re-render of the shell).
  setSearchOpen: (searchOpen) => set((s) => (s.searchOpen === searchOpen ? s : { searchOpen })),
  notify: (text, tone = 'success', opts = {}) => {
    const id = nextToast++
    const action = opts.action ? { action: opts.action } : {}
    set((s) => ({ toasts: [...s.toasts, { id, text, tone, ...action }].slice(-4) }))
    if (!opts.stay) goesAfterAWhile(id, tone)
    return id
  },
  update: (id, text, tone) => {
    set((s) => ({ toasts: s.toasts.map((t) => (t.id === id ? { ...t, text, tone } : t)) }))
    goesAfterAWhile(id, tone)
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  dropAction: (id) =>
    set((s) => ({
      toasts: s.toasts.map((t) => (t.id === id ? { id: t.id, text: t.text, tone: t.tone } : t)),
    })),
}))
