/**
 * Who is at the desk, as the main process says (`desk.state`, kept current by `deskChanged`). The
 * lock itself is enforced there; this store only shows it and reports input so the idle lock waits
 * while someone is using the app.
 */
import { create } from 'zustand'
import type { DeskState } from '../../../shared/contract'
import type { AppError } from '../../../shared/result'
import { api } from '../api/client'
import { useAppStore } from '../state/app-store'

interface DeskStore {
  desk: DeskState | null
  load(): Promise<void>
  unlock(staffId: string, pin: string): Promise<AppError | null>
  lock(): Promise<void>
  /** Staff list and idle lock changes from settings: the answer is the new state. */
  apply(r: { ok: true; value: DeskState } | { ok: false; error: AppError }): AppError | null
}

export const useDesk = create<DeskStore>((set, get) => ({
  desk: null,
  async load() {
    const r = await api.desk.state({})
    if (r.ok) set({ desk: r.value })
  },
  async unlock(staffId, pin) {
    const r = await api.desk.unlock({ staffId, pin })
    const error = get().apply(r)
    // What a locked desk could not show (the recorded name, settings) is read again.
    if (!error) await useAppStore.getState().load()
    return error
  },
  async lock() {
    get().apply(await api.desk.lock({}))
  },
  apply(r) {
    if (!r.ok) return r.error
    set({ desk: r.value })
    return null
  },
}))

api.events.deskChanged(() => void useDesk.getState().load())

/** At most one report of input this often: enough for an idle lock counted in minutes. */
const REPORT_EVERY_MS = 15_000
let lastReport = -Infinity

/** Reports a key or a click to the main process (throttled) while someone is at the desk. */
export function reportActivity(): void {
  const d = useDesk.getState().desk
  if (!d || d.locked || d.staff.length === 0) return
  const t = performance.now()
  if (t - lastReport < REPORT_EVERY_MS) return
  lastReport = t
  void api.desk.activity({})
}
