/**
 * A `connections.status` answer that was asked before a connection's status event arrived does not
 * put back the older status (state/status-merge.ts, used by app-store's refreshStatus).
 */
import { describe, expect, it } from 'vitest'
import type { ConnectionStatus } from '../../../src/shared/contract'
import { keepNewer } from '../../../src/renderer/src/state/status-merge'

const status = (connectionId: string, online: boolean, pending: number): ConnectionStatus => ({
  connectionId,
  online,
  since: '2026-03-30T08:00:00.000Z',
  lastSuccessAt: null,
  pending,
  needsAttention: 0,
  oldestPendingAt: null,
})

describe('a status answer and the events that crossed it', () => {
  it('keeps the status an event brought while the answer was asked, and takes the answer elsewhere', () => {
    const answer = [status('riverside', false, 2), status('hillside', true, 0)]
    const shown = [status('riverside', true, 0), status('hillside', false, 1)]
    const asked = new Map([['riverside', 3]])
    const now = new Map([['riverside', 4]])
    expect(keepNewer(answer, shown, asked, now)).toEqual([
      status('riverside', true, 0),
      status('hillside', true, 0),
    ])
  })

  it('takes the answer for a connection not shown yet', () => {
    const answer = [status('new', true, 0)]
    expect(keepNewer(answer, [], new Map(), new Map([['new', 1]]))).toEqual(answer)
  })
})
