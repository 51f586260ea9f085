import { describe, expect, it } from 'vitest'
import {
  backoffDelay,
  checkDecision,
  checkStarted,
  compareVersions,
  defaultUpdatePolicy,
  feedUrlProblem,
  initialUpdateState,
  installDecision,
  nextCheckAt,
  noUpdate,
  releaseNotesText,
  shouldDownload,
  updateAvailable,
  updateDownloaded,
  updateFailed,
  updateReadyMessage,
  type UpdateState,
} from '../../../src/main/updates/policy'

const MIN = 60_000
const HOUR = 60 * MIN
const T0 = Date.UTC(2025, 0, 6, 8, 0, 0)
const online = (now: number) => ({ now, online: true })

/** A state with an update downloaded and waiting for the quit. */
function ready(version = '1.3.0'): UpdateState {
  let s = initialUpdateState(T0)
  s = checkStarted(s)
  s = updateAvailable(s, T0 + MIN, version, '- Faster patient search')
  return updateDownloaded(s, version)
}

describe('when to check', () => {
  it('checks shortly after start, not in the middle of opening the clinic', () => {
    const s = initialUpdateState(T0)
    expect(defaultUpdatePolicy.checkEveryHours).toBe(4)
    expect(checkDecision(s, online(T0))).toEqual({ check: false, reason: 'not-due', retryAt: T0 + 30_000 })
    expect(checkDecision(s, online(T0 + 30_000))).toEqual({ check: true })
  })

  it('checks again every four hours after an answer from the feed', () => {
    let s = checkStarted(initialUpdateState(T0))
    s = noUpdate(s, T0 + MIN)
    expect(nextCheckAt(s)).toBe(T0 + MIN + 4 * HOUR)
    expect(checkDecision(s, online(T0 + MIN + 4 * HOUR - 1))).toMatchObject({
      check: false,
      reason: 'not-due',
    })
    expect(checkDecision(s, online(T0 + MIN + 4 * HOUR))).toEqual({ check: true })
  })

  it('honours a configured interval', () => {
    const cfg = { ...defaultUpdatePolicy, checkEveryHours: 1 }
    const s = noUpdate(checkStarted(initialUpdateState(T0)), T0)
    expect(nextCheckAt(s, cfg)).toBe(T0 + HOUR)
  })

  it('does not check while offline, and looks again a few minutes later', () => {
    const s = initialUpdateState(T0)
    const now = T0 + HOUR
    expect(checkDecision(s, { now, online: false })).toEqual({
      check: false,
      reason: 'offline',
      retryAt: now + 5 * MIN,
    })
    expect(checkDecision(s, { now: now + 5 * MIN, online: true })).toEqual({ check: true })
  })

  it('never runs two checks at once, nor checks during a download', () => {
    const checking = checkStarted(initialUpdateState(T0))
    expect(checkDecision(checking, online(T0 + HOUR))).toEqual({
      check: false,
      reason: 'busy',
      retryAt: null,
    })
    const downloading = updateAvailable(checking, T0 + MIN, '1.3.0')
    expect(downloading.phase).toBe('downloading')
    expect(checkDecision(downloading, online(T0 + 10 * HOUR))).toMatchObject({ check: false, reason: 'busy' })
  })

  it('stops checking once an update is ready to install', () => {
    expect(checkDecision(ready(), online(T0 + 100 * HOUR))).toEqual({
      check: false,
      reason: 'ready',
      retryAt: null,
    })
  })

  it('backs off after failures: 15 min, 30 min, 1 h … never more than a day', () => {
    expect(backoffDelay(0)).toBe(0)
    expect(backoffDelay(1)).toBe(15 * MIN)
    expect(backoffDelay(2)).toBe(30 * MIN)
    expect(backoffDelay(3)).toBe(HOUR)
    expect(backoffDelay(7)).toBe(16 * HOUR)
    expect(backoffDelay(8)).toBe(24 * HOUR)
    expect(backoffDelay(1000)).toBe(24 * HOUR)
  })

  it('retries a failed check after the back-off, and a success resets it', () => {
    let s = checkStarted(initialUpdateState(T0))
    s = updateFailed(s, T0 + MIN)
    s = updateFailed(checkStarted(s), T0 + 20 * MIN)
    expect(s.failures).toBe(2)
    expect(s.phase).toBe('idle')
    expect(checkDecision(s, online(T0 + 49 * MIN))).toEqual({
      check: false,
      reason: 'not-due',
      retryAt: T0 + 50 * MIN,
    })
    expect(checkDecision(s, online(T0 + 50 * MIN))).toEqual({ check: true })
    s = noUpdate(checkStarted(s), T0 + 51 * MIN)
    expect(s.failures).toBe(0)
    expect(nextCheckAt(s)).toBe(T0 + 51 * MIN + 4 * HOUR)
  })

  it('a failed download goes back to idle and forgets the half-downloaded version', () => {
    let s = updateAvailable(checkStarted(initialUpdateState(T0)), T0, '1.3.0', 'Notes')
    s = updateFailed(s, T0 + MIN)
    expect(s).toMatchObject({ phase: 'idle', version: null, notes: '', failures: 1 })
  })

  it('an error after the download does not throw away the ready update', () => {
    const s = updateFailed(ready('1.3.0'), T0 + HOUR)
    expect(s).toMatchObject({ phase: 'ready', version: '1.3.0' })
    expect(installDecision(s, { quitting: true, outboxPending: 0, sending: false }).install).toBe(true)
  })
})

describe('when to download', () => {
  it('downloads only a newer version', () => {
    expect(shouldDownload('1.2.0', '1.3.0')).toBe(true)
    expect(shouldDownload('1.2.0', '1.2.1')).toBe(true)
    expect(shouldDownload('1.2.0', '1.2.0')).toBe(false)
    expect(shouldDownload('1.2.0', '1.1.9')).toBe(false)
    expect(shouldDownload('1.2.0', 'nonsense')).toBe(false)
  })

  it('orders versions the semantic-versioning way', () => {
    expect(compareVersions('1.10.0', '1.9.0')).toBe(1)
    expect(compareVersions('v2.0.0', '2.0.0')).toBe(0)
    expect(compareVersions('2.0.0-beta.2', '2.0.0')).toBe(-1)
    expect(compareVersions('2.0.0', '2.0.0-beta.2')).toBe(1)
    expect(compareVersions('2.0.0-beta.10', '2.0.0-beta.2')).toBe(1)
    expect(compareVersions('2.0.0-alpha', '2.0.0-beta')).toBe(-1)
    expect(compareVersions('2.0.0-beta', '2.0.0-beta.1')).toBe(-1)
    expect(compareVersions('1.0.0+build.7', '1.0.0')).toBe(0)
    expect(compareVersions('1.0', '1.0.0')).toBeNaN()
  })
})

describe('when to install', () => {
  const quit = { quitting: true, outboxPending: 0, sending: false }

  it('installs on quit when the outbox is empty', () => {
    expect(installDecision(ready('1.3.0'), quit)).toEqual({ install: true, version: '1.3.0' })
  })

  it('never installs while a change waits in the outbox', () => {
    for (const outboxPending of [1, 2, 500]) {
      expect(installDecision(ready(), { ...quit, outboxPending })).toEqual({
        install: false,
        reason: 'outbox-pending',
      })
    }
  })

  it('never installs while a change is being sent, even if the count says zero', () => {
    expect(installDecision(ready(), { ...quit, sending: true })).toEqual({
      install: false,
      reason: 'sending',
    })
  })

  it('treats an outbox count it cannot trust as changes waiting', () => {
    for (const outboxPending of [Number.NaN, -1, 0.5, Number.POSITIVE_INFINITY]) {
      expect(installDecision(ready(), { ...quit, outboxPending })).toMatchObject({ install: false })
    }
  })

  it('never installs while the app is in use: only on quit', () => {
    expect(installDecision(ready(), { ...quit, quitting: false })).toEqual({
      install: false,
      reason: 'not-quitting',
    })
  })

  it('installs nothing that is not fully downloaded', () => {
    const idle = initialUpdateState(T0)
    const downloading = updateAvailable(checkStarted(idle), T0, '1.3.0')
    expect(installDecision(idle, quit)).toEqual({ install: false, reason: 'nothing-ready' })
    expect(installDecision(downloading, quit)).toEqual({ install: false, reason: 'nothing-ready' })
  })

  it('a quit with changes waiting keeps the update for the next quit', () => {
    const s = ready('1.3.0')
    expect(installDecision(s, { ...quit, outboxPending: 3 }).install).toBe(false)
    // Next day: the outbox drained before closing.
    expect(installDecision(s, quit)).toEqual({ install: true, version: '1.3.0' })
  })
})

describe('what the receptionist is told', () => {
  it('turns Markdown release notes into plain sentences', () => {
    const notes = [
      "## What's new",
      '',
      '- **Faster** patient search',
      '* Fixed: the day list now shows `Hero Health` bookings',
      '1. See [the guide](https://example.org/guide) for the new queue',
      '',
      '---',
    ].join('\n')
    expect(releaseNotesText(notes)).toBe(
      'Faster patient search. Fixed: the day list now shows Hero Health bookings. See the guide for the new queue.',
    )
  })

  it('turns HTML release notes into plain sentences', () => {
    const html =
      '<h2>What&#39;s changed</h2><ul><li>Booking &amp; cancelling work offline</li><li>Clearer <b>error</b> messages!</li></ul>'
    expect(releaseNotesText(html)).toBe('Booking & cancelling work offline. Clearer error messages!')
  })

  it('drops developer noise: pull requests, authors, links, commit hashes', () => {
    const notes =
      '- Quicker start-up by @dev-person in https://github.com/org/repo/pull/12\n- Safer sync (#34) 1a2b3c4d\n**Full Changelog**: https://x/compare'
    expect(releaseNotesText(notes)).toBe('Quicker start-up. Safer sync.')
  })

  it('keeps ordinary words that happen to look like hexadecimal', () => {
    expect(releaseNotesText('- Defaced labels are fixed')).toBe('Defaced labels are fixed.')
  })

  it('joins per-version notes', () => {
    expect(
      releaseNotesText([
        { version: '1.3.0', note: '- New waiting-room view' },
        { version: '1.2.1', note: null },
        { version: '1.2.0', note: '- Better search' },
      ]),
    ).toBe('New waiting-room view. Better search.')
  })

  it('trims long notes at a word and says so', () => {
    const long = Array.from({ length: 60 }, (_, i) => `change number ${i}`).join(' ')
    const out = releaseNotesText(long, 100)
    expect(out.length).toBeLessThanOrEqual(100)
    expect(out.endsWith('…')).toBe(true)
    expect(out).toMatch(/^change number 0 change number 1 /)
    expect(out).not.toMatch(/ …$/)
  })

  it('says nothing when the notes are empty', () => {
    expect(releaseNotesText(null)).toBe('')
    expect(releaseNotesText(undefined)).toBe('')
    expect(releaseNotesText('  \n## Heading only\n')).toBe('')
  })

  it('keeps the notes from the download announcement when the download event has none', () => {
    expect(ready('1.3.0').notes).toBe('Faster patient search.')
  })

  it('the ready message names the version, when it installs, and what changed', () => {
    const s = ready('1.3.0')
    const message = updateReadyMessage(s.version ?? '', s.notes)
    expect(message).toBe(
      "A new version of Frontdesk (1.3.0) is ready. It will be installed the next time you close Frontdesk, once every change has been sent. What's new: Faster patient search.",
    )
    expect(updateReadyMessage('1.3.0', '')).not.toContain("What's new")
  })
})

describe('which feed may be used', () => {
  it('accepts https, and plain http only on this machine', () => {
    expect(feedUrlProblem('https://updates.example.org/frontdesk/')).toBeNull()
    expect(feedUrlProblem('http://127.0.0.1:8080/feed')).toBeNull()
    expect(feedUrlProblem('http://localhost/feed')).toBeNull()
    expect(feedUrlProblem('http://updates.example.org/')).toBe('must use https')
    expect(feedUrlProblem('file:///tmp/feed')).toBe('must use https')
    expect(feedUrlProblem('not a url')).toBe('not a URL')
    expect(feedUrlProblem('https://user:pw@updates.example.org/')).toBe(
      'must not carry a user name or password',
    )
  })
})
