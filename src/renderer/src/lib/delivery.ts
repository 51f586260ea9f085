/**
 * A confirmation that says what is known about sending: "sent", "sending…" or "will be sent when
 * <system> is back". The outbox row is followed by the queue's events (never a timer) and the same
 * toast is rewritten in place when the row's state changes, for as long as the toast is on screen:
 * a change made offline that goes through while its toast still shows turns into "sent".
 */
import { type Delivery, type DeliveryState, deliveryMessage, deliveryState } from '../../../shared/delivery'
import { api } from '../api/client'
import { type Toast, useUi } from '../state/ui-store'

const toneOf: Record<DeliveryState, Toast['tone']> = {
  sent: 'success',
  sending: 'info',
  waiting: 'warning',
  'needs-attention': 'error',
}

/** How long a "sending…" toast stays before it says the change waits (the queue has the detail). */
const SENDING_MS = 120_000

/**
 * `action`: a button on the toast (Undo) while the change is unsent, for `actionMs` at most; it
 * goes as soon as the row's state changes (sent, or waiting on the clinic system).
 */
export function announce(
  result: { message: string; delivery: Delivery },
  opts: { action?: Toast['action']; actionMs?: number } = {},
): void {
  const { notify, update, dropAction } = useUi.getState()
  const d = result.delivery
  const id = notify(result.message, toneOf[d.state], {
    stay: d.state === 'sending' || !!opts.action,
    ...(opts.action ? { action: opts.action } : {}),
  })
  if (opts.action && opts.actionMs !== undefined) setTimeout(() => dropAction(id), opts.actionMs)
  if (d.state === 'sent' || d.state === 'needs-attention') return
  follow(
    d,
    () => useUi.getState().toasts.some((t) => t.id === id),
    (state) => {
      dropAction(id)
      update(id, deliveryMessage({ ...d, state }), toneOf[state])
    },
  )
}

/**
 * Follows the row on every queueChanged event of its connection until it is sent or needs a
 * person, or its toast has gone, reporting each change: a first attempt that fails turns
 * "sending…" into "will be sent when … is back", and a later success into "sent". One read at a
 * time; events during a read ask for one more.
 */
function follow(d: Delivery, shown: () => boolean, changed: (state: DeliveryState) => void): void {
  let last: DeliveryState = d.state
  let reading = false
  let again = false
  let done = false
  const stop = () => {
    done = true
    off()
    clearTimeout(slow)
  }
  const read = async () => {
    if (reading) {
      again = true
      return
    }
    reading = true
    try {
      do {
        again = false
        if (!shown()) return stop()
        const r = await api.queue.list({ connectionId: d.connectionId })
        if (!r.ok || done) continue
        // Finished rows leave the queue: gone means sent. Words only move forward (sending →
        // waiting → sent or needs attention): a row not yet tried reads as "sending", which is
        // no news to a toast that already says it waits for the clinic system.
        const seen = deliveryState(
          r.value.find((q) => q.seq === d.seq),
          false,
        )
        const state = last === 'waiting' && seen === 'sending' ? 'waiting' : seen
        if (state !== last) changed(state)
        last = state
        if (state === 'sent' || state === 'needs-attention') return stop()
      } while (again && !done)
    } finally {
      reading = false
    }
  }
  const off = api.events.queueChanged((e) => {
    if (e.connectionId === d.connectionId) void read()
  })
  // Still "sending…" after all this time: say it waits, and let the toast go by itself.
  const slow = setTimeout(() => {
    if (last !== 'sending' || done) return
    last = 'waiting'
    changed('waiting')
  }, SENDING_MS)
  // The row may have moved on before the listener was there.
  void read()
}
