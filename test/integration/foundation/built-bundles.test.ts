import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/** `npm test` runs `electron-vite build` first; this checks what would actually ship. */
describe('the built bundles', () => {
  it('exist for main, preload and renderer', () => {
    for (const f of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'])
      expect(existsSync(f), f).toBe(true)
  })

  it('main carries the secure window settings and the sender check', () => {
    const main = readFileSync('out/main/index.js', 'utf8')
    for (const s of [
      'sandbox: true',
      'contextIsolation: true',
      'nodeIntegration: false',
      'webSecurity: true',
      'setWindowOpenHandler',
      'will-navigate',
      'setPermissionRequestHandler',
      'senderFrame',
    ]) {
      expect(main, s).toContain(s)
    }
  })

  it('main loads the demo clinic and its simulators only through import(), in a chunk of their own', () => {
    const main = readFileSync('out/main/index.js', 'utf8')
    const simulators = /function start(Semble|Healthie|Hero|Heim)?Simulator\b/g
    expect(main.match(simulators)).toBeNull()
    const chunk = /\bimport\("\.\/(demo-[\w-]+\.js)"\)/.exec(main)?.[1]
    expect(chunk, 'a dynamic import of the demo chunk').toBeDefined()
    const demo = readFileSync(join('out/main', chunk!), 'utf8')
    expect(new Set(demo.match(simulators))).toEqual(
      new Set([
        'function startSimulator',
        ...['Semble', 'Healthie', 'Hero', 'Heim'].map((v) => `function start${v}Simulator`),
      ]),
    )
    // Beside index.js, so the simulators find the schema files shipped there.
    for (const vendor of ['semble', 'healthie'])
      expect(existsSync(`out/main/sandbox/${vendor}/schema.graphql`)).toBe(true)
  })

  it('the preload exposes only the contract and no Node or IPC object', () => {
    const preload = readFileSync('out/preload/index.cjs', 'utf8')
    expect(preload).toContain('exposeInMainWorld("frontdesk"')
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/)
    expect(preload.match(/exposeInMainWorld/g)).toHaveLength(1)
  })

  it('the renderer page declares the strict CSP', () => {
    const html = readFileSync('out/renderer/index.html', 'utf8')
    expect(html).toContain("default-src 'self'")
    expect(html).not.toContain('unsafe-eval')
  })
})
