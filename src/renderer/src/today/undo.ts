/**
 * Taking back an arrival or no-show. The service decides whether it still can (withdrawn while
 * unsent); this only asks, shows the answer, and puts the day book right.
 */
import type { ActionResult } from '../../../shared/contract'
import { api } from '../api/client'
import { nowMs } from '../lib/clock'
import { announce } from '../lib/delivery'
import { useUi } from '../state/ui-store'
import { applyResult } from './state/today-store'

export async function undoMark(appointmentId: string): Promise<boolean> {
  const r = await api.appointments.undoStatus({ appointmentId })
  if (!r.ok) {
    useUi.getState().notify(r.error.message, 'error')
    return false
  }
  applyResult(r.value)
  useUi.getState().notify(r.value.message, 'success')
  return true
}

/** The confirmation of an arrival or no-show, with Undo on it while it is held back. */
export function announceMark(result: ActionResult): void {
  const ms = result.undoUntil ? Date.parse(result.undoUntil) - nowMs() : 0
  if (ms <= 0) return announce(result)
  const id = result.appointment.id
  if (!id) return announce(result)
  announce(result, { action: { label: 'Undo', run: () => void undoMark(id) }, actionMs: ms })
}
