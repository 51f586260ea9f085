/**
 * What the support bundle leaves out, however the clinic system's words carry it: its own words
 * kept with a queued change, a patient's name in another form, a postcode in any case. On real
 * parts: a clinic-profile runtime on an encrypted file and the throwaway keychain, the real HTTP
 * client and adapter against a loopback server playing a clinic system, and the bundle as the
 * running app builds it.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import { silentLogger } from '../../../src/main/log/logger'
import { buildSupportBundle, bundleInputFor } from '../../../src/main/support/bundle'
import { tempDir, testKeychainService } from '../../support/temp'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function clinicRuntime(name: string): Promise<Runtime> {
  const t = tempDir()
  const rt = await createRuntime({
    shell: 'browser',
    version: name,
    dataDir: t.dir,
    profile: 'clinic',
    log: silentLogger,
    keychainService: testKeychainService(name),
    startSync: false,
    backgroundRefresh: false,
    managed: { settings: {} },
  })
  cleanups.push(t.cleanup)
  cleanups.push(() => rt.close())
  return rt
}

/** A loopback server playing a clinic system; `answer` decides every response. */
async function vendorServer(
  answer: (req: { method: string; url: string; headers: Record<string, unknown>; body: string }) => {
    status: number
    type: string
    body: string
  },
): Promise<string> {
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString('utf8')))
    req.on('end', () => {
      const a = answer({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      res.writeHead(a.status, { 'content-type': a.type })
      res.end(a.body)
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  cleanups.push(
    () =>
      new Promise<void>((ok) => {
        server.closeAllConnections()
        server.close(() => ok())
      }),
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** A Heim connection at `url`, with an API key in the keychain. */
async function connectHeim(rt: Runtime, id: string, url: string): Promise<void> {
  const saved = await rt.dispatch('connections.save', {
    id,
    vendor: 'heim',
    label: 'Heim',
    baseUrl: url,
    timeZone: 'Europe/London',
    options: { rateLimitPerMinute: '100000' },
  })
  expect(saved.ok).toBe(true)
  const creds = await rt.dispatch('credentials.set', {
    connectionId: id,
    fields: { apiKey: 'live_9f8e7d6c5b4a3f2e1d0cAbCd' },
  })
  expect(creds.ok).toBe(true)
}

describe('the support bundle', () => {
  it('leaves out the clinic system’s own words kept with a queued change, as the log and the queue panel do', async () => {
    const rt = await clinicRuntime('bundle-vendor-words')
    // A gateway error page echoing the request it refused: its headers and its body.
    const url = await vendorServer((req) => ({
      status: 400,
      type: 'text/html',
      body:
        `<!DOCTYPE html><html><head><title>400 Bad Request</title></head><body><h1>Bad Request</h1>` +
        `<pre>${req.method} ${req.url}\n${Object.entries(req.headers)
          .map(([k, v]) => `${k}: ${String(v)}`)
          .join('\n')}\n\n${req.body}</pre></body></html>`,
    }))
    await connectHeim(rt, 'heim-gateway', url)

    const created = await rt.dispatch('patients.create', {
      connectionId: 'heim-gateway',
      patient: { givenName: 'Araminta', familyName: 'Featherstonehaugh', birthDate: '1961-04-12' },
    })
    expect(created.ok, JSON.stringify(created)).toBe(true)
    await rt.sync.drain('heim-gateway')
    expect(rt.outbox.errors(), 'the refused change is kept with the vendor’s words').toHaveLength(1)

    const files = await buildSupportBundle(bundleInputFor(rt, []))
    const all = files.map((f) => f.text).join('\n')
    for (const quoted of ['1961-04-12', 'Bad Request', '<html', 'POST /v1/patients'])
      expect(all.includes(quoted), `the bundle quotes the clinic system: "${quoted}"`).toBe(false)
    // What support needs of it stays: the kind of failure, our message and the HTTP status.
    const lastErrors = JSON.parse(files[1]!.text) as Record<string, { kind: string; error: unknown }[]>
    expect(lastErrors['heim-gateway']![0]!.error).toMatchObject({ kind: 'invalid' })
    expect(JSON.stringify(lastErrors)).toContain('HTTP 400')
  })

  it('leaves out a patient’s name however the clinic system’s words put it: possessive, curly apostrophe', async () => {
    const rt = await clinicRuntime('bundle-name-forms')
    // A clinic system that turns the new patient away in words of its own, quoting their name.
    const url = await vendorServer(() => ({
      status: 409,
      type: 'application/json',
      body: JSON.stringify({
        message:
          "Featherstonehaugh’s record is open elsewhere; O’Neill’s too. Retry once Featherstonehaugh's is closed.",
      }),
    }))
    await connectHeim(rt, 'heim-words', url)
    for (const patient of [
      { givenName: 'Araminta', familyName: 'Featherstonehaugh', birthDate: '1961-04-12' },
      { givenName: 'Niamh', familyName: "O'Neill", birthDate: '1972-09-30' },
    ]) {
      const created = await rt.dispatch('patients.create', { connectionId: 'heim-words', patient })
      expect(created.ok, JSON.stringify(created)).toBe(true)
    }
    await rt.sync.drain('heim-words')
    expect(
      rt.outbox
        .errors()
        .map((e) => e.error)
        .join(' '),
    ).toContain('Featherstonehaugh’s record')

    const files = await buildSupportBundle(bundleInputFor(rt, []))
    const all = files.map((f) => f.text).join('\n')
    for (const name of ['Featherstonehaugh', 'Neill'])
      expect(all.includes(name), `the bundle names the patient: "${name}"`).toBe(false)
    expect(all).toContain('[name] record is open elsewhere')
  })

  it('leaves out a postcode however it is written, as the clinic system’s words quote it', async () => {
    const rt = await clinicRuntime('bundle-postcode')
    const url = await vendorServer(() => ({
      status: 422,
      type: 'application/json',
      body: JSON.stringify({ message: 'No delivery address at sw1a 1aa or Sw1A1aA for this patient' }),
    }))
    await connectHeim(rt, 'heim-postcode', url)
    const created = await rt.dispatch('patients.create', {
      connectionId: 'heim-postcode',
      patient: { givenName: 'Araminta', familyName: 'Featherstonehaugh', birthDate: '1961-04-12' },
    })
    expect(created.ok, JSON.stringify(created)).toBe(true)
    await rt.sync.drain('heim-postcode')
    expect(
      rt.outbox
        .errors()
        .map((e) => e.error)
        .join(' '),
    ).toContain('sw1a 1aa')

    const all = (await buildSupportBundle(bundleInputFor(rt, []))).map((f) => f.text).join('\n')
    for (const postcode of ['sw1a 1aa', 'Sw1A1aA'])
      expect(all.includes(postcode), `the bundle holds the postcode "${postcode}"`).toBe(false)
    expect(all).toContain('No delivery address at [postcode] or [postcode]')
  })
})
