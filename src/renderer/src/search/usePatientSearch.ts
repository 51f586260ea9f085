import { useCallback, useEffect, useRef, useState } from 'react'
import type { PatientHit, PatientSearchResult } from '../../../shared/contract'
import { api } from '../api/client'

export interface SearchAnswer {
  /** The text this answer is for. */
  text: string
  result: PatientSearchResult
}

/**
 * Search as the receptionist types: every keystroke asks at once (no debounce: the cache answers
 * in milliseconds), and only the answer to the latest keystroke is shown, so a slow early answer can
 * never replace a newer one. The last answer stays on screen until the next arrives: no flicker.
 * `limit` hits are shown; matches are counted up to `ask`, so the list can say how many more match.
 */
export function usePatientSearch(limit: number, ask = limit) {
  const [text, setTextState] = useState('')
  const [answer, setAnswer] = useState<SearchAnswer | null>(null)
  const [active, setActive] = useState(0)
  const latest = useRef(0)

  const setText = useCallback(
    (next: string) => {
      setTextState(next)
      setActive(0)
      const seq = ++latest.current
      if (!next.trim()) {
        setAnswer(null)
        return
      }
      // Only the hits shown come back; the rest are counted (the host reads no rows for them).
      const request = ask > limit ? { text: next, limit, countUpTo: ask } : { text: next, limit }
      void api.patients.search(request).then((r) => {
        if (seq !== latest.current) return
        setAnswer({
          text: next,
          result: r.ok ? r.value : { results: [], interpretedAs: [], problem: r.error.message },
        })
      })
    },
    [limit, ask],
  )

  // An emptied box shows no answer. Counted up to more than are shown, so the list can say how
  // many more match.
  const shownAnswer = text.trim() ? answer : null
  const found = shownAnswer?.result.results ?? []
  const hits = found.slice(0, limit)
  const matched = shownAnswer?.result.matched ?? found.length
  const more = Math.max(0, matched - hits.length)
  const pending = !!text.trim() && answer?.text !== text
  const move = (delta: number) =>
    setActive((a) => (hits.length === 0 ? 0 : Math.max(0, Math.min(hits.length - 1, a + delta))))
  const activeIndex = Math.min(active, Math.max(0, hits.length - 1))

  // Enter opens a hit of the answer for what is typed now, never the last answer's: while that
  // answer is on its way the list still shows the previous query's patients, so Enter waits for it
  // and then opens its first hit (or nothing, if the text changed or nothing matched).
  const enterFor = useRef<{ text: string; open: (hit: PatientHit) => void } | null>(null)
  const enter = (open: (hit: PatientHit) => void) => {
    if (pending) {
      enterFor.current = { text, open }
      return
    }
    const hit = hits[activeIndex]
    if (hit) open(hit)
  }
  useEffect(() => {
    const waiting = enterFor.current
    if (!waiting || pending) return
    enterFor.current = null
    if (waiting.text === text && hits[0]) waiting.open(hits[0])
  })
  return {
    text,
    setText,
    answer: shownAnswer,
    hits,
    /** How many more matched beyond `hits`, up to `ask - limit` (then "or more"). */
    more,
    moreCapped: matched >= ask,
    pending,
    active: activeIndex,
    setActive,
    move,
    /** Enter: opens the highlighted hit of the answer for the text typed (see above). */
    enter,
  }
}
