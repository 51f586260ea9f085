/**
 * A minimal stand-in for the `electron` module (Electron itself, not our code), so the built main
 * bundle can run in plain Node as an installed build would: `app.isPackaged` comes from
 * FRONTDESK_STAND_IN_PACKAGED. It records what the bundle asks Electron to do (the URL each window
 * loads, the IPC handlers) and, once the first window loads, calls the `app.health` handler as a
 * frame from each origin in FRONTDESK_STAND_IN_ORIGINS, then writes a JSON report and exits. The
 * Chromium switches given at launch are FRONTDESK_STAND_IN_SWITCHES (`name=value`, space-separated);
 * the report holds them as the bundle left them.
 */
'use strict'
const { EventEmitter } = require('node:events')
const { writeFileSync } = require('node:fs')
const { join } = require('node:path')

const root = process.env.FRONTDESK_STAND_IN_DIR
const report = { loaded: [], channels: [], calls: [], switches: {} }
// Chromium's command line as Electron holds it: one value a switch, those given at launch first.
const switches = new Map(
  (process.env.FRONTDESK_STAND_IN_SWITCHES ?? '')
    .split(' ')
    .filter(Boolean)
    .map((s) => [s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1)]),
)
const handlers = new Map()

const appEvents = new EventEmitter()
/** Electron hands quit listeners an event they may hold the quit with. */
const quitEvent = () => ({ preventDefault() {} })
const app = {
  isPackaged: process.env.FRONTDESK_STAND_IN_PACKAGED === '1',
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  getPath: (name) => join(root, name),
  getVersion: () => '0.0.0-stand-in',
  on: (e, f) => (appEvents.on(e, f), app),
  once: (e, f) => (appEvents.once(e, f), app),
  quit: () => appEvents.emit('will-quit', quitEvent()),
  exit: (code) => process.exit(code),
  setAppUserModelId: () => {},
  commandLine: {
    appendSwitch: (name, value = '') => switches.set(name, value),
    getSwitchValue: (name) => switches.get(name) ?? '',
    hasSwitch: (name) => switches.has(name),
  },
}

const windows = []
class BrowserWindow extends EventEmitter {
  constructor(options) {
    super()
    this.options = options
    this.webContents = Object.assign(new EventEmitter(), { send: () => {}, setWindowOpenHandler: () => {} })
    windows.push(this)
    appEvents.emit('web-contents-created', {}, this.webContents)
  }
  static getAllWindows() {
    return windows
  }
  async loadURL(url) {
    report.loaded.push(url)
    report.channels = [...handlers.keys()]
    report.switches = Object.fromEntries(switches)
    const health = handlers.get('frontdesk:app.health')
    for (const origin of (process.env.FRONTDESK_STAND_IN_ORIGINS ?? '').split(' ').filter(Boolean)) {
      const frame = { url: `${origin}/index.html`, parent: null }
      report.calls.push({ origin, result: health ? await health({ senderFrame: frame }, {}) : null })
    }
    writeFileSync(process.env.FRONTDESK_STAND_IN_REPORT, JSON.stringify(report))
    appEvents.emit('will-quit', quitEvent())
    setImmediate(() => process.exit(0))
  }
  show() {}
  isMinimized() {
    return false
  }
}

const session = {
  defaultSession: {
    setPermissionRequestHandler: () => {},
    setPermissionCheckHandler: () => {},
    resolveProxy: async () => 'DIRECT',
  },
}

const ipcMain = { handle: (channel, f) => handlers.set(channel, f) }
const protocol = { registerSchemesAsPrivileged: () => {}, handle: () => {} }
const shell = { openExternal: async () => {} }
const net = { isOnline: () => true }
class Notification {
  show() {}
}
const dialog = {
  showErrorBox: (title, text) => {
    writeFileSync(
      process.env.FRONTDESK_STAND_IN_REPORT,
      JSON.stringify({ ...report, error: `${title}: ${text}` }),
    )
    process.exit(1)
  },
}

// Shorthand only: Node finds a CommonJS module's named exports for `import { … }` by reading this line.
module.exports = { app, BrowserWindow, ipcMain, protocol, session, shell, net, Notification, dialog }
