/**
 * Wires electron-updater to the update policy. Besides src/main/index.ts this is the only file that
 * imports Electron, and it decides nothing itself: every "when" comes from ./policy, which is
 * tested on its own. Updates download in the background and install only when the receptionist
 * closes Frontdesk with an empty outbox; the app is never restarted for an update.
 */
import { app, net } from 'electron'
import electronUpdater, { type UpdateDownloadedEvent, type UpdateInfo } from 'electron-updater'
import type { Logger } from '../log/logger'
import {
  checkDecision,
  checkStarted,
  defaultUpdatePolicy,
  feedUrlProblem,
  initialUpdateState,
  installDecision,
  noUpdate,
  shouldDownload,
  updateAvailable,
  updateDownloaded,
  updateFailed,
  updateReadyMessage,
  type UpdatePolicyConfig,
  type UpdateState,
} from './policy'

export interface StartUpdatesOptions {
  log: Logger
  /** Outbox rows still to be sent (pending plus sending), across every connection. */
  outboxPending: () => number
  /** True while a change is on its way to a vendor; pending already counts these, this is belt and braces. */
  outboxSending?: () => boolean
  /** Shows the receptionist one plain sentence (the update is ready, and what changed). */
  notify: (message: string) => void
  /** Generic feed (a development override); else the URL baked in at build time (app-update.yml). */
  feedUrl?: string
  policy?: Partial<UpdatePolicyConfig>
  /** The feed channel (managed settings): `latest` is stable, `beta` takes pre-releases. */
  channel?: 'latest' | 'beta'
}

/** How long a quit may wait for the installer to take over before the app quits anyway. */
const INSTALL_HANDOVER_MS = 120_000
/** setTimeout's ceiling; our longest wait (a day) is well below it. */
const MAX_TIMER_MS = 2 ** 31 - 1

const text = (m: unknown) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))

/** Starts checking for updates; returns a function that stops it. A no-op outside a packaged build. */
export function startUpdates(opts: StartUpdatesOptions): () => void {
  const { log } = opts
  if (!app.isPackaged) {
    log.info('updates off: not a packaged build')
    return () => {}
  }
  if (process.env.FRONTDESK_UPDATES === 'off') {
    log.info('updates off: FRONTDESK_UPDATES=off')
    return () => {}
  }
  const cfg: UpdatePolicyConfig = { ...defaultUpdatePolicy, ...opts.policy }
  const { autoUpdater } = electronUpdater

  autoUpdater.logger = {
    info: (m?: unknown) => log.info(`updater: ${text(m)}`),
    warn: (m?: unknown) => log.warn(`updater: ${text(m)}`),
    error: (m?: unknown) => log.error(`updater: ${text(m)}`),
    debug: (m: string) => log.debug(`updater: ${m}`),
  }
  autoUpdater.autoDownload = true
  // We install on quit ourselves, and only when the policy allows it.
  autoUpdater.autoInstallOnAppQuit = false
  autoUpdater.autoRunAppAfterInstall = false
  autoUpdater.allowDowngrade = false
  autoUpdater.allowPrerelease = opts.channel === 'beta'
  if (opts.channel === 'beta') autoUpdater.channel = 'beta'

  // FRONTDESK_UPDATE_URL reaches here only outside an installed build (electron/overrides.ts).
  const feedUrl = opts.feedUrl
  if (feedUrl) {
    const problem = feedUrlProblem(feedUrl)
    if (problem) log.warn('update feed ignored; using the built-in one', { feedUrl, problem })
    else autoUpdater.setFeedURL({ provider: 'generic', url: feedUrl })
  }

  let state: UpdateState = initialUpdateState(Date.now())
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  let installing = false
  let notifiedVersion: string | null = null

  const schedule = () => {
    if (stopped) return
    clearTimeout(timer)
    timer = undefined
    const now = Date.now()
    const decision = checkDecision(state, { now, online: net.isOnline() }, cfg)
    if (decision.check) {
      void check()
    } else if (decision.retryAt !== null) {
      timer = setTimeout(schedule, Math.min(Math.max(decision.retryAt - now, 1_000), MAX_TIMER_MS))
    }
  }

  const check = async () => {
    state = checkStarted(state)
    try {
      const result = await autoUpdater.checkForUpdates()
      if (!result) {
        state = noUpdate(state, Date.now())
        schedule()
        return
      }
      // The download already started (autoDownload); its failure arrives as an 'error' event.
      result.downloadPromise?.catch(() => {})
      if (result.isUpdateAvailable && !shouldDownload(app.getVersion(), result.updateInfo.version)) {
        log.warn('update offered is not newer; not downloading it', { offered: result.updateInfo.version })
        result.cancellationToken?.cancel()
      }
    } catch {
      // Reported through the 'error' event, which also plans the retry.
    }
  }

  const onAvailable = (info: UpdateInfo) => {
    state = updateAvailable(state, Date.now(), info.version, info.releaseNotes)
    log.info('update found; downloading in the background', { version: info.version })
  }
  const onNotAvailable = () => {
    state = noUpdate(state, Date.now())
    schedule()
  }
  const onDownloaded = (event: UpdateDownloadedEvent) => {
    state = updateDownloaded(state, event.version, event.releaseNotes)
    log.info('update ready; it installs when Frontdesk is closed with nothing left to send', {
      version: event.version,
    })
    if (notifiedVersion !== event.version) {
      notifiedVersion = event.version
      opts.notify(updateReadyMessage(event.version, state.notes))
    }
    schedule()
  }
  const onError = (err: Error) => {
    if (installing) {
      // The installer could not take over: quit anyway; the update is tried again next time.
      log.error('update could not be installed; it will be tried on the next quit', { err: err.message })
      app.quit()
      return
    }
    state = updateFailed(state, Date.now())
    log.warn('update check or download failed', { err: err.message, failures: state.failures })
    schedule()
  }

  const onBeforeQuit = (event: Electron.Event) => {
    if (installing) return
    let outboxPending = Number.NaN
    let sending = true
    try {
      outboxPending = opts.outboxPending()
      sending = opts.outboxSending?.() ?? false
    } catch (err) {
      // Not knowing what is waiting counts as something waiting.
      log.warn('could not read the outbox before quitting; the update waits', { err: text(err) })
    }
    const decision = installDecision(state, { quitting: true, outboxPending, sending })
    if (!decision.install) {
      if (decision.reason !== 'nothing-ready') {
        log.info('update waits for the next quit', {
          reason: decision.reason,
          outboxPending,
          version: state.version,
        })
      }
      return
    }
    event.preventDefault()
    installing = true
    log.info('installing update on quit', { version: decision.version })
    setTimeout(() => app.quit(), INSTALL_HANDOVER_MS).unref()
    try {
      // Silent, and no restart: the receptionist closed the app, so it stays closed.
      autoUpdater.quitAndInstall(true, false)
    } catch (err) {
      log.error('update could not be installed', { err: text(err) })
      app.quit()
    }
  }

  autoUpdater.on('update-available', onAvailable)
  autoUpdater.on('update-not-available', onNotAvailable)
  autoUpdater.on('update-downloaded', onDownloaded)
  autoUpdater.on('error', onError)
  app.on('before-quit', onBeforeQuit)
  schedule()

  return () => {
    stopped = true
    clearTimeout(timer)
    autoUpdater.off('update-available', onAvailable)
    autoUpdater.off('update-not-available', onNotAvailable)
    autoUpdater.off('update-downloaded', onDownloaded)
    autoUpdater.off('error', onError)
    app.off('before-quit', onBeforeQuit)
  }
}
