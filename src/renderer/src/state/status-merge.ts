/**
 * Which status to keep for each connection when a `connections.status` answer arrives: the
 * answer's, unless an event for that connection came while it was asked (the event's status is
 * newer than the answer, which main computed when asked).
 */
import type { ConnectionStatus } from '../../../shared/contract'

/** Status events received per connection, counted as they arrive. */
export type EventCounts = ReadonlyMap<string, number>

export function keepNewer(
  answer: ConnectionStatus[],
  current: ConnectionStatus[],
  countedWhenAsked: EventCounts,
  countedNow: EventCounts,
): ConnectionStatus[] {
  const shown = new Map(current.map((s) => [s.connectionId, s]))
  return answer.map((s) =>
    (countedNow.get(s.connectionId) ?? 0) !== (countedWhenAsked.get(s.connectionId) ?? 0)
      ? (shown.get(s.connectionId) ?? s)
      : s,
  )
}
