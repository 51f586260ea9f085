import { create } from 'zustand'

export type ViewId = 'today' | 'patients' | 'patient' | 'queue' | 'settings' | 'audit' | 'outage' | 'status'

export interface Toast {
  id: number
  text: string
  tone: 'info' | 'success' | 'warning' | 'error'
}

interface UiState {
  view: ViewId
  /** The patient card on show, when `view` is 'patient'. */
  patientId: string | null
  /** The appointment opened from the day book or a patient card. */
  appointmentId: string | null
  /** The day book's date, YYYY-MM-DD. */
  date: string | null
  searchOpen: boolean
  toasts: Toast[]
  go(view: ViewId): void
  openPatient(patientId: string): void
  openAppointment(appointmentId: string | null): void
  /** A day for the day book, or null for the clinic's today. */
  setDate(date: string | null): void
  /** The Today screen on the clinic's today, nothing opened. */
  showToday(): void
  setSearchOpen(open: boolean): void
  /** A confirmation in plain words; stays until dismissed when it is a warning or an error. */
  notify(text: string, tone?: Toast['tone'], opts?: { stay?: boolean }): number
  /** Rewrites a toast in place (a confirmation whose sending attempt has now finished). */
  update(id: number, text: string, tone: Toast['tone']): void
  dismiss(id: number): void
}

let nextToast = 1

/** Good news goes by itself after a while; a toast rewritten since into a warning stays. */
function goesAfterAWhile(id: number, tone: Toast['tone']) {
  if (tone !== 'success' && tone !== 'info') return
  setTimeout(
    () =>
      useUi.setState((s) => ({
        toasts: s.toasts.filter((t) => t.id !== id || t.tone === 'warning' || t.tone === 'error'),
      })),
    8000,
  )
}

export const useUi = create<UiState>((set) => ({
  view: 'today',
  patientId: null,
  appointmentId: null,
  date: null,
  searchOpen: false,
  toasts: [],
  go: (view) => set({ view }),
  openPatient: (patientId) => set({ view: 'patient', patientId, searchOpen: false }),
  openAppointment: (appointmentId) => set({ appointmentId }),
  setDate: (date) => set({ date }),
  showToday: () => set({ view: 'today', date: null, appointmentId: null }),
  setSearchOpen: (searchOpen) => set({ searchOpen }),
  notify: (text, tone = 'success', opts = {}) => {
    const id = nextToast++
    set((s) => ({ toasts: [...s.toasts, { id, text, tone }].slice(-4) }))
    if (!opts.stay) goesAfterAWhile(id, tone)
    return id
  },
  update: (id, text, tone) => {
    set((s) => ({ toasts: s.toasts.map((t) => (t.id === id ? { ...t, text, tone } : t)) }))
    goesAfterAWhile(id, tone)
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}))
