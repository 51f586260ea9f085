/**
 * The Electron shell, kept thin: window, app:// protocol, IPC wiring and the security rules
 * from ./electron/security. Everything else is plain Node in ./app and below.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, Notification, protocol, session, shell } from 'electron'
import { channelOf, eventChannelOf, methodNames } from '../shared/contract'
import { fail } from '../shared/result'
import { createRuntime, type Runtime } from './app/runtime'
import { ensurePrivateDir, restrictNewFiles } from './app/paths'
import { demoClock } from './app/demo-clock'
import {
  APP_ORIGIN,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  externalLinkTarget,
  isNavigationAllowed,
  isTrustedSender,
  resolveAppPath,
  windowOptions,
} from './electron/security'
import { disabledFeatures } from './electron/chromium'
import { developerOverrides } from './electron/overrides'
import { createLogger } from './log/logger'
import { managedUpdates } from './network/managed'
import { electronProxyResolver } from './network/proxy'
import { startUpdates } from './updates/electron-updater'

// Every file and folder this app creates is the user's alone (Linux, macOS).
restrictNewFiles()
// Developer overrides (dev server, update feed) count only outside an installed build.
const overrides = developerOverrides({ isPackaged: app.isPackaged, env: process.env })
const devServerUrl = overrides.rendererUrl
const profile =
  process.argv.includes('--demo') || process.env.FRONTDESK_PROFILE === 'demo' ? 'demo' : 'clinic'
const rendererRoot = join(__dirname, '../renderer')
/** `--name value` or `--name=value` from the command line. */
const argValue = (name: string): string | undefined => {
  const i = process.argv.findIndex((a) => a === name || a.startsWith(`${name}=`))
  if (i < 0) return undefined
  const a = process.argv[i]!
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : process.argv[i + 1]
}
const mime: Record<string, string> = {
  html: 'text/html',
  js: 'text/javascript',
  css: 'text/css',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
}

// Before the app is ready, or Chromium has read its features already.
app.commandLine.appendSwitch(
  'disable-features',
  disabledFeatures(app.commandLine.getSwitchValue('disable-features')),
)

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
])

// One desktop instance: a second launch focuses the running window and leaves before it opens
// the profile (whose own lock would refuse it anyway, with a message).
const primaryInstance = app.requestSingleInstanceLock()
if (!primaryInstance) app.exit(0)

let runtime: Runtime | undefined

function createWindow() {
  const win = new BrowserWindow(windowOptions(join(__dirname, '../preload/index.cjs')))
  win.once('ready-to-show', () => win.show())
  void win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`)
  return win
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    const target = externalLinkTarget(url)
    if (target) void shell.openExternal(target)
    return { action: 'deny' }
  })
})

app.on('second-instance', () => {
  const win = BrowserWindow.getAllWindows()[0]
  if (!win) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
})
app.on('window-all-closed', () => app.quit())
// Quitting waits for the runtime to close (the sync engine's send in flight, the refresh, the
// database file and the profile lock): Electron does not await a listener, so hold the quit once.
app.on('will-quit', (event) => {
  const closing = runtime
  if (!closing) return
  runtime = undefined
  event.preventDefault()
  closing
    .close()
    .catch((err: unknown) =>
      console.error('Frontdesk did not close cleanly:', err instanceof Error ? err.message : err),
    )
    .finally(() => app.quit())
})

void app.whenReady().then(async () => {
  if (!primaryInstance) return
  ensurePrivateDir(join(app.getPath('userData'), profile))
  const logFile = join(app.getPath('logs'), 'frontdesk.log')
  const log = createLogger({ file: logFile })
  if (overrides.ignored.length) log.warn('developer overrides ignored', { ignored: overrides.ignored })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)

  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppPath(rendererRoot, request.url)
    if (!file) return new Response('Not found', { status: 404 })
    try {
      const body = await readFile(file)
      const ext = file.split('.').pop() ?? ''
      return new Response(body, {
        headers: {
          'Content-Type': mime[ext] ?? 'application/octet-stream',
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        },
      })
    } catch {
      return new Response('Not found', { status: 404 })
    }
  })

  try {
    runtime = await createRuntime({
      shell: 'desktop',
      version: app.getVersion(),
      dataDir: join(app.getPath('userData'), profile),
      profile,
      log,
      clock: demoClock(profile, argValue('--now') ?? process.env.FRONTDESK_NOW),
      // The system proxy per vendor URL: PAC files, WPAD and Windows policy, as Chromium sees them.
      network: { systemProxy: electronProxyResolver(session.defaultSession) },
      logFile,
      supportDir: app.getPath('downloads'),
    })
  } catch (err) {
    log.error('could not start', { err })
    dialog.showErrorBox('Frontdesk cannot start', err instanceof Error ? err.message : String(err))
    app.quit()
    return
  }
  const rt = runtime
  for (const name of methodNames) {
    ipcMain.handle(channelOf(name), (event, input: unknown) => {
      if (!isTrustedSender(event.senderFrame, devServerUrl)) {
        log.warn('refused IPC from an untrusted frame', { method: name, url: event.senderFrame?.url })
        return fail('auth', 'This window is not allowed to talk to Frontdesk.')
      }
      return rt.dispatch(name, input)
    })
  }
  rt.bus.onAny((name, payload) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(eventChannelOf(name), payload)
  })
  createWindow()
  if (process.platform === 'win32') app.setAppUserModelId('health.frontdesk.app')
  // Updates install only on quit, and never while a change is waiting to reach a clinic system.
  const managedUpdate = managedUpdates(rt.managed)
  if (!managedUpdate.enabled) log.info('updates off', { reason: managedUpdate.reason })
  const stopUpdates = !managedUpdate.enabled
    ? () => {}
    : startUpdates({
        log,
        channel: managedUpdate.channel,
        ...(overrides.updateFeedUrl ? { feedUrl: overrides.updateFeedUrl } : {}),
        notify: (message) => new Notification({ title: 'Frontdesk', body: message }).show(),
        outboxPending: () => rt.connections.list().reduce((n, c) => n + rt.outbox.counts(c.id).pending, 0),
      })
  app.once('will-quit', stopUpdates)
})
