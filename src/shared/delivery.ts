/**
 * What a confirmation may say about sending, from the outbox row's own state after the first
 * attempt, never from a connection state that may be stale: sent, sending…, or will be sent when
 * the clinic system is back. Shared by the main process (the first answer) and the renderer
 * (which follows the row and updates the same toast).
 */
export type DeliveryState = 'sent' | 'sending' | 'waiting' | 'needs-attention'

export interface Delivery {
  seq: number
  connectionId: string
  /** The clinic system's name, as in "sent to Riverside Clinic". */
  label: string
  /** What was done, before the dash: "Booked: Ada Lovelace, 12 Mar 09:30". */
  what: string
  state: DeliveryState
}

/**
 * The state of an outbox row as the person should hear it. `tried`: the drain that took this row
 * has finished, so a row not done was tried and failed (or may have arrived: it is checked before
 * any resend), or is held behind another. A row with a failure on record waits likewise.
 */
export function deliveryState(
  row: { state: string; attempts: number; error?: { kind: string } | null } | undefined,
  tried: boolean,
): DeliveryState {
  if (!row || row.state === 'done') return 'sent'
  if (row.state === 'needs-attention') return 'needs-attention'
  const failed = !!row.error && row.error.kind !== 'none'
  if (row.state === 'pending' && (row.attempts > 0 || tried)) return 'waiting'
  if (row.state === 'sending' && (failed || tried)) return 'waiting'
  return 'sending'
}

export function deliveryTail(state: DeliveryState, label: string): string {
  switch (state) {
    case 'sent':
      return `sent to ${label}`
    case 'sending':
      return `sending to ${label}…`
    case 'waiting':
      return `will be sent when ${label} is back online`
    case 'needs-attention':
      return `${label} did not accept it: see the queue`
  }
}

export const deliveryMessage = (d: Pick<Delivery, 'what' | 'state' | 'label'>) =>
  `${d.what} — ${deliveryTail(d.state, d.label)}${d.state === 'sending' ? '' : '.'}`
