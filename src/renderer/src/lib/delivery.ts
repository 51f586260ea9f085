/**
 * A confirmation that says what is known about sending: "sent", "sending…" or "will be sent when
 * <system> is back". While the first attempt is still going, the outbox row is followed and the
 * same toast is rewritten in place when it ends.
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

/** How long a "sending…" toast follows its row before leaving it as it is. */
const FOLLOW_MS = 120_000

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
  if (d.state !== 'sending') return
  void follow(d, (state) => {
    dropAction(id)
    update(id, deliveryMessage({ ...d, state }), toneOf[state])
  })
}

/**
 * Follows the row until it is sent or needs a person, reporting each change: a first attempt that
 * fails turns "sending…" into "will be sent when … is back", and a later success into "sent".
 */
async function follow(d: Delivery, changed: (state: DeliveryState) => void): Promise<void> {
  const started = performance.now()
  let last: DeliveryState = d.state
  while (performance.now() - started < FOLLOW_MS) {
    await new Promise((resolve) => setTimeout(resolve, 400))
    const r = await api.queue.list({ connectionId: d.connectionId })
    if (!r.ok) continue
    // Finished rows leave the queue: gone means sent.
    const state = deliveryState(
      r.value.find((q) => q.seq === d.seq),
      false,
    )
    if (state !== last) changed(state)
    last = state
    if (state === 'sent' || state === 'needs-attention') return
  }
  // Still not through after all this time: say it waits (the queue has the detail), not "sending…".
  if (last === 'sending') changed('waiting')
}
