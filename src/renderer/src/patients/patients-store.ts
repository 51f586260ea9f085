import { create } from 'zustand'

export type PatientsMode = 'search' | 'new' | 'trace'

interface PatientsState {
  /** What the Patients screen shows: the list, the new-patient form or the Hero trace. */
  mode: PatientsMode
  setMode(mode: PatientsMode): void
  /** The patient the booking dialog is open for, if any. */
  bookingFor: string | null
  openBooking(patientId: string): void
  closeBooking(): void
  /** Bumped when something changed a patient's appointments (a booking), so cards reload. */
  changes: number
  changed(): void
}

export const usePatients = create<PatientsState>((set) => ({
  mode: 'search',
  setMode: (mode) => set({ mode }),
  bookingFor: null,
  openBooking: (bookingFor) => set({ bookingFor }),
  closeBooking: () => set({ bookingFor: null }),
  changes: 0,
  changed: () => set((s) => ({ changes: s.changes + 1 })),
}))
