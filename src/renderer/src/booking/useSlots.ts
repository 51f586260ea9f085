/**
 * Free slots for a finder: the answer comes at once (from Frontdesk's copy when it has the range),
 * then the clinic system's answer arrives as a `slotsConfirmed` event and replaces the list in
 * place, with a short note of what went or came. No polling.
 */
import { useEffect, useState } from 'react'
import type { MethodInput, SlotView } from '../../../shared/contract'
import type { ErrorCode } from '../../../shared/result'
import { api } from '../api/client'
import { confirmationNote } from './slots'

export type SlotsAnswer =
  | {
      key: string
      slots: SlotView[]
      /** `checking` until the clinic system has answered for this range. */
      state: 'checking' | 'confirmed' | 'unconfirmed'
      note: string
    }
  | { key: string; error: string; code: ErrorCode }

type Query = Omit<MethodInput<'slots.find'>, 'requestId'>

let requests = 0

/** `key` names every input of `query`; a new key asks again. */
export function useSlots(query: Query | null, key: string): SlotsAnswer | null {
  const [answer, setAnswer] = useState<SlotsAnswer | null>(null)
  useEffect(() => {
    if (!query) return
    let live = true
    const requestId = `slots-${++requests}`
    // The event may arrive before the answer itself: keep it until the answer is in.
    let early: { slots: SlotView[]; note: string; error?: string } | null = null
    let answered = false
    const off = api.events.slotsConfirmed((c) => {
      if (!live || c.requestId !== requestId) return
      const next = {
        slots: c.slots,
        note: confirmationNote(c.removed, c.added),
        ...(c.error ? { error: c.error } : {}),
      }
      if (!answered) early = next
      else apply(next)
    })
    const apply = (c: { slots: SlotView[]; note: string; error?: string }) =>
      setAnswer({ key, slots: c.slots, state: c.error ? 'unconfirmed' : 'confirmed', note: c.note })
    void api.slots.find({ ...query, requestId }).then((r) => {
      if (!live) return
      answered = true
      if (!r.ok) return setAnswer({ key, error: r.error.message, code: r.error.code })
      if (early) apply(early)
      else setAnswer({ key, slots: r.value, state: 'checking', note: '' })
    })
    return () => {
      live = false
      off()
    }
    // `key` is every input of the query.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return answer
}
