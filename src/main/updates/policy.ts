/**
 * When Frontdesk checks for, downloads and installs an update, and what it tells the receptionist.
 * Pure: no Electron, no clock, no network, so every rule is tested directly. The rule that matters
 * most: an update is installed only when the app quits with nothing waiting in the outbox, because
 * the installer stops the app and a change caught half-sent would have to be looked up at the
 * vendor on the next start instead of simply being sent.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE

export interface UpdatePolicyConfig {
  /** Hours between checks after one has succeeded. */
  checkEveryHours: number
  /** Wait after start before the first check, so it does not compete with opening the clinic. */
  firstCheckDelayMs: number
  /** While offline, look again this often. */
  offlineRetryMs: number
  /** First retry after a failed check or download; doubles with each failure in a row. */
  backoffBaseMs: number
  /** Longest wait between retries, however many failures in a row. */
  backoffMaxMs: number
}

export const defaultUpdatePolicy: Readonly<UpdatePolicyConfig> = Object.freeze({
  checkEveryHours: 4,
  firstCheckDelayMs: 30_000,
  offlineRetryMs: 5 * MINUTE,
  backoffBaseMs: 15 * MINUTE,
  backoffMaxMs: 24 * HOUR,
})

/** `ready`: downloaded and verified, waiting for the app to quit. */
export type UpdatePhase = 'idle' | 'checking' | 'downloading' | 'ready'

export interface UpdateState {
  phase: UpdatePhase
  startedAt: number
  /** When a check last got an answer from the feed (update or not). */
  lastCheckAt: number | null
  /** Failed checks or downloads in a row; reset by the next answer from the feed. */
  failures: number
  lastFailureAt: number | null
  /** The version being downloaded or ready to install. */
  version: string | null
  /** What changed in that version, already in plain words. */
  notes: string
}

export const initialUpdateState = (now: number): UpdateState => ({
  phase: 'idle',
  startedAt: now,
  lastCheckAt: null,
  failures: 0,
  lastFailureAt: null,
  version: null,
  notes: '',
})

// Transitions, one per thing the updater reports.

export const checkStarted = (s: UpdateState): UpdateState => ({ ...s, phase: 'checking' })

export const noUpdate = (s: UpdateState, now: number): UpdateState => ({
  ...s,
  phase: s.phase === 'ready' ? 'ready' : 'idle',
  lastCheckAt: now,
  failures: 0,
  lastFailureAt: null,
})

export const updateAvailable = (
  s: UpdateState,
  now: number,
  version: string,
  notes: ReleaseNotes = null,
): UpdateState => ({
  ...s,
  phase: 'downloading',
  lastCheckAt: now,
  failures: 0,
  lastFailureAt: null,
  version,
  notes: releaseNotesText(notes),
})

export const updateDownloaded = (
  s: UpdateState,
  version: string,
  notes: ReleaseNotes = null,
): UpdateState => ({
  ...s,
  phase: 'ready',
  version,
  notes: releaseNotesText(notes) || (s.version === version ? s.notes : ''),
})

/** A failed check or download. A download that is already ready stays ready. */
export const updateFailed = (s: UpdateState, now: number): UpdateState => ({
  ...s,
  phase: s.phase === 'ready' ? 'ready' : 'idle',
  failures: s.failures + 1,
  lastFailureAt: now,
  version: s.phase === 'ready' ? s.version : null,
  notes: s.phase === 'ready' ? s.notes : '',
})

// Checking.

/** Wait before the next retry after `failures` failures in a row: 15 min, 30 min, 1 h … up to a day. */
export function backoffDelay(failures: number, cfg: UpdatePolicyConfig = defaultUpdatePolicy): number {
  if (failures <= 0) return 0
  return Math.min(cfg.backoffBaseMs * 2 ** Math.min(failures - 1, 30), cfg.backoffMaxMs)
}

/** When the next check is due: shortly after start, then every few hours, later after failures. */
export function nextCheckAt(s: UpdateState, cfg: UpdatePolicyConfig = defaultUpdatePolicy): number {
  if (s.failures > 0 && s.lastFailureAt !== null) return s.lastFailureAt + backoffDelay(s.failures, cfg)
  if (s.lastCheckAt === null) return s.startedAt + cfg.firstCheckDelayMs
  return s.lastCheckAt + cfg.checkEveryHours * HOUR
}

export type CheckDecision =
  { check: true } | { check: false; reason: 'busy' | 'ready' | 'not-due' | 'offline'; retryAt: number | null }

/**
 * Whether to ask the feed now. Never two at once, never while offline, and not once an update is
 * ready (it is installed on quit; anything newer is found on the next start).
 */
export function checkDecision(
  s: UpdateState,
  ctx: { now: number; online: boolean },
  cfg: UpdatePolicyConfig = defaultUpdatePolicy,
): CheckDecision {
  // The updater reports back when it is done; the caller plans the next check then.
  if (s.phase === 'checking' || s.phase === 'downloading')
    return { check: false, reason: 'busy', retryAt: null }
  if (s.phase === 'ready') return { check: false, reason: 'ready', retryAt: null }
  const due = nextCheckAt(s, cfg)
  if (ctx.now < due) return { check: false, reason: 'not-due', retryAt: due }
  if (!ctx.online) return { check: false, reason: 'offline', retryAt: ctx.now + cfg.offlineRetryMs }
  return { check: true }
}

// Downloading.

/** Numeric parts and pre-release of a version such as `1.4.0` or `v1.5.0-beta.2`; null if not one. */
function parseVersion(v: string): { nums: number[]; pre: string[] } | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v.trim())
  if (!m) return null
  return { nums: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] }
}

/** Semantic-version order: negative if a < b, 0 if equal, positive if a > b; NaN if either is not a version. */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a)
  const y = parseVersion(b)
  if (!x || !y) return Number.NaN
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0)
    if (d !== 0) return Math.sign(d)
  }
  // A release sorts after its own pre-releases.
  if (x.pre.length === 0 || y.pre.length === 0) return Math.sign(y.pre.length - x.pre.length)
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i]
    const q = y.pre[i]
    if (p === undefined) return -1
    if (q === undefined) return 1
    const pn = /^\d+$/.test(p)
    const qn = /^\d+$/.test(q)
    if (pn && qn && Number(p) !== Number(q)) return Math.sign(Number(p) - Number(q))
    if (pn !== qn) return pn ? -1 : 1
    if (p !== q) return p < q ? -1 : 1
  }
  return 0
}

/** Download in the background only a version newer than the one running: never a downgrade. */
export const shouldDownload = (running: string, offered: string): boolean =>
  compareVersions(offered, running) > 0

// Installing.

export interface InstallContext {
  /** The receptionist is closing Frontdesk (the only moment an install may happen). */
  quitting: boolean
  /** Outbox rows still to be sent: pending plus sending. Anything not a count is treated as unsafe. */
  outboxPending: number
  /** A change is on its way to a vendor right now. */
  sending: boolean
}

export type InstallDecision =
  | { install: true; version: string }
  | { install: false; reason: 'nothing-ready' | 'sending' | 'outbox-pending' | 'not-quitting' }

/** Install only on quit, only a ready update, and never while a change waits to be sent or is being sent. */
export function installDecision(s: UpdateState, ctx: InstallContext): InstallDecision {
  if (s.phase !== 'ready' || !s.version) return { install: false, reason: 'nothing-ready' }
  if (ctx.sending) return { install: false, reason: 'sending' }
  // A count we cannot trust (NaN, negative, fractional) fails safe: the update waits.
  if (!Number.isInteger(ctx.outboxPending) || ctx.outboxPending !== 0)
    return { install: false, reason: 'outbox-pending' }
  if (!ctx.quitting) return { install: false, reason: 'not-quitting' }
  return { install: true, version: s.version }
}

// Telling the receptionist.

/** Release notes as the updater hands them over: text (Markdown or HTML), or one note per version. */
export type ReleaseNotes =
  string | ReadonlyArray<{ version: string; note?: string | null }> | null | undefined

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
}

/** One line of notes in plain words: no markup, no links, no issue numbers or author handles. */
function plainLine(line: string): string {
  return line
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '') // images
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1') // links keep their words
    .replace(/\s+by @[\w-]+(?: in \S+)?/g, '') // "by @someone in https://…"
    .replace(/https?:\/\/\S+/g, '')
    .replace(/\(?#\d+\)?/g, '') // issue and pull request numbers
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{7,40}\b/g, '') // commit hashes (not words such as "defaced")
    .replace(/`+/g, '')
    .replace(/(\*\*|__|\*|~~)/g, '')
    .replace(/^\s*(?:[-*+•]|\d+[.)])\s+/, '') // list markers
    .replace(/\(\s*\)/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s+([.,;:!?])/g, '$1')
    .trim()
}

function notesToLines(text: string): string[] {
  const withBreaks = text
    .replace(/<(h[1-6])\b[^>]*>[\s\S]*?<\/\1>/gi, '\n') // headings carry no news
    .replace(/<\s*(br|\/p|\/li|li|p)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#39|[a-z]+);/gi, (m, name: string) => ENTITIES[name.toLowerCase()] ?? m)
  return withBreaks
    .split(/\r?\n/)
    .filter((l) => !/^\s*#{1,6}\s/.test(l) && !/^\s*(?:[-=*_]\s*){3,}$/.test(l)) // Markdown headings, rules
    .filter((l) => !/^\s*\*\*full changelog\*\*/i.test(l) && !/^\s*full changelog/i.test(l))
    .map(plainLine)
    .filter((l) => l.length > 0)
}

/**
 * What changed, as one short paragraph of sentences: release notes trimmed to `maxChars` at a
 * word, ending with an ellipsis when cut. Empty when the notes say nothing.
 */
export function releaseNotesText(notes: ReleaseNotes, maxChars = 280): string {
  if (!notes) return ''
  const text = typeof notes === 'string' ? notes : notes.map((n) => n.note ?? '').join('\n')
  const sentences = notesToLines(text).map((l) => (/[.!?…:]$/.test(l) ? l : `${l}.`))
  const whole = sentences.join(' ')
  if (whole.length <= maxChars) return whole
  const cut = whole.slice(0, maxChars - 1)
  const atWord = cut.lastIndexOf(' ') > maxChars / 2 ? cut.slice(0, cut.lastIndexOf(' ')) : cut
  return `${atWord.replace(/[\s.,;:!?-]+$/, '')}…`
}

/** The one message a receptionist sees when an update has downloaded. */
export function updateReadyMessage(version: string, notes: string): string {
  const base = `A new version of Frontdesk (${version}) is ready. It will be installed the next time you close Frontdesk, once every change has been sent.`
  return notes ? `${base} What's new: ${notes}` : base
}

/**
 * Why an update feed URL cannot be used, or null if it can. The feed decides what code runs next,
 * so it must be https (plain http only on this machine, for testing) and carry no credentials.
 */
export function feedUrlProblem(url: string): string | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return 'not a URL'
  }
  if (u.username || u.password) return 'must not carry a user name or password'
  if (u.protocol === 'https:') return null
  if (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) return null
  return 'must use https'
}
