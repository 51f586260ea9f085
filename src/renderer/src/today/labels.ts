import type { AppointmentStatus, SyncState } from '../../../shared/model'

export const statusLabel: Record<AppointmentStatus, string> = {
  proposed: 'Proposed',
  pending: 'Pending',
  booked: 'Booked',
  arrived: 'Arrived',
  'checked-in': 'With clinician',
  fulfilled: 'Seen',
  cancelled: 'Cancelled',
  noshow: 'No-show',
}

/** Nothing said when the clinic's system already has it. */
export const syncLabel: Record<SyncState, string | null> = {
  synced: null,
  queued: 'Queued',
  sending: 'Sending',
  'needs-attention': 'Needs attention',
}

export const syncExplained: Record<SyncState, string> = {
  synced: 'The clinic system has this.',
  queued: 'Saved here; waiting to be sent to the clinic system.',
  sending: 'Being sent to the clinic system now.',
  'needs-attention': 'The clinic system refused this change: see the queue.',
}

/**
 * What to show for a change's sync state. While the connection is offline nothing is on its way,
 * even if the outbox keeps an interrupted send as `sending` until it can check: say queued.
 */
export function shownSync(sync: SyncState, online: boolean): SyncState {
  return !online && sync === 'sending' ? 'queued' : sync
}
