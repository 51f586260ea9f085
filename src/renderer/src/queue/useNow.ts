import { nowMs } from '../lib/clock'
import { useEffect, useState } from 'react'

/** The current time, updated every `everyMs` while the component is mounted. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => nowMs())
  useEffect(() => {
    const t = setInterval(() => setNow(nowMs()), everyMs)
    return () => clearInterval(t)
  }, [everyMs])
  return now
}
