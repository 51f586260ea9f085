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

/**
 * A mark beside each status word, so status never rests on a card's tint alone (and still shows
 * on a card too short for the word).
 */
export const statusIcon: Record<AppointmentStatus, string> = {
  proposed: '?',
  pending: '…',
  booked: '○',
  arrived: '✓',
  'checked-in': '▶',
  fulfilled: '●',
  cancelled: '✕',
  noshow: '⊘',
}

/** A short card's sync mark in place of the word (the word is in its name and tooltip). */
export const syncIcon: Record<SyncState, string | null> = {
  synced: null,
  queued: '⇡',
  sending: '⇡',
  'needs-attention': '!',
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

export interface CardWords {
  time: string
  /** Shown as "FAMILY, Given". */
  name: string
  typeName?: string | undefined
  status: string
  sync?: string | null | undefined
  until?: string | undefined
  born?: string | undefined
  practitioner: string
  /** A short card shows only its first line: time, name and sync badge. */
  short: boolean
}

/**
 * A day book card's spoken name. It starts with the card's visible words in their visible order
 * (so what a screen reader says and what voice control hears match the screen), then what the
 * card has no room to show.
 */
export function cardLabel(w: CardWords): string {
  const seen = w.short ? [w.time, w.name, w.sync] : [w.time, w.name, w.typeName, w.status, w.sync]
  const unseen = [
    ...(w.short ? [w.typeName, w.status] : []),
    w.until ? `until ${w.until}` : null,
    w.born ? `born ${w.born}` : null,
    `with ${w.practitioner}`,
  ]
  return [...seen, ...unseen].filter(Boolean).join(', ')
}
