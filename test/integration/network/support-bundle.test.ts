/**
 * The support bundle from a running app with a real database, keychain and log file: a planted
 * credential, a patient's name and an NHS number in the log, the queue's errors and the
 * connection's status all reach the bundle redacted, and the zip opens with a standard unzip.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../../src/main/app/runtime'
import { createLogger, silentLogger } from '../../../src/main/log/logger'
import { proxyPasswordAccount } from '../../../src/main/network/routes'
import { buildSupportBundle, bundleInputFor, writeSupportBundle } from '../../../src/main/support/bundle'
import { VendorError } from '../../../src/main/vendors/errors'
import { ManualClock } from '../../../src/shared/clock'
import { tempDir, testKeychainService } from '../../support/temp'

const API_KEY = 'hk_live_PLANTED_7c1f9e2ab44d'
const PROXY_PASSWORD = 'Proxy-Pw-PLANTED-31'
const GIVEN = 'Araminta'
const FAMILY = 'Featherstonehaugh'
const NHS = '9434765919'
const NHS_SPACED = '943 476 5919'

let rt: Runtime
let dir: string
let cleanup: () => void
const clock = new ManualClock(new Date('2026-06-01T09:30:00Z'))

beforeAll(async () => {
  const t = tempDir()
  dir = t.dir
  cleanup = t.cleanup
  rt = await createRuntime({
    shell: 'browser',
    version: '9.8.7',
    dataDir: join(dir, 'data'),
    profile: 'clinic',
    log: silentLogger,
    keychainService: testKeychainService('bundle'),
    startSync: false,
    backgroundRefresh: false,
    managed: { settings: {} },
  })
  rt.connections.upsert({
    id: 'hillside',
    vendor: 'hero',
    label: 'Hillside Surgery',
    baseUrl: 'https://api.example-hero.test',
    timeZone: 'Europe/London',
    locale: 'en-GB',
    options: { proxyUrl: 'http://proxy.test:3128', proxyUsername: 'desk' },
    demo: false,
  })
  await rt.credentials.set('hillside', { apiKey: API_KEY })
  await rt.secrets.set(proxyPasswordAccount('hillside'), PROXY_PASSWORD)
  rt.db
    .prepare(
      `INSERT INTO patients (id, connection_id, ref, given_name, family_name, birth_date, nhs_number, fetched_at)
       VALUES ('p1', 'hillside', 'r1', ?, ?, '1961-04-12', ?, '2026-06-01T09:00:00Z')`,
    )
    .run(GIVEN, FAMILY, NHS)
  const row = (state: string, error: string | null, seq: number) =>
    rt.db
      .prepare(
        `INSERT INTO outbox (connection_id, entity_key, kind, payload, client_ref, state, next_attempt_at, last_error, actor, created_at, updated_at)
         VALUES ('hillside', ?, 'book', ?, ?, ?, '2026-06-01T09:00:00Z', ?, 'Reception', '2026-06-01T09:00:00Z', ?)`,
      )
      .run(
        `appointment:${seq}`,
        JSON.stringify({ patientName: `${GIVEN} ${FAMILY}` }),
        `ref-${seq}`,
        state,
        error,
        `2026-06-01T09:0${seq}:00Z`,
      )
  row('pending', null, 1)
  row('pending', null, 2)
  row('needs-attention', `${GIVEN} ${FAMILY} (NHS ${NHS_SPACED}) already has an appointment at that time.`, 3)
  rt.sync.setOnline(
    'hillside',
    false,
    new VendorError('offline', `The practice system refused the key ${API_KEY} while booking for ${GIVEN}.`),
  )

  const log = createLogger({ file: join(dir, 'logs', 'frontdesk.log'), stderr: false })
  log.info(`booked ${GIVEN} ${FAMILY}`, { search: NHS, connectionId: 'hillside' })
  log.warn('vendor request failed', {
    message: `sent apiKey=${API_KEY} to the vendor`,
    url: `https://x.test/?api_key=${API_KEY}`,
  })
  log.error('proxy sign-in', {
    detail: `proxy said no to desk:${PROXY_PASSWORD}`,
    header: `Bearer ${API_KEY}`,
  })
  log.info('patient found', {
    patient: { givenName: GIVEN, familyName: FAMILY, nhsNumber: NHS, dateOfBirth: '1961-04-12' },
  })
}, 60_000)

afterAll(async () => {
  await rt?.close()
  cleanup?.()
})

describe('the support bundle', () => {
  it('carries the facts support needs and none of the planted secrets or patient data', async () => {
    const files = await buildSupportBundle(bundleInputFor(rt, [join(dir, 'logs', 'frontdesk.log')], clock))
    expect(files.map((f) => f.name)).toEqual(['summary.json', 'last-errors.json', 'log.txt'])

    const zipPath = join(dir, 'frontdesk-support.zip')
    writeSupportBundle(files, zipPath, clock)
    // Opened with the system's unzip: the file is a valid zip, and this is what support receives.
    const listing = execFileSync('unzip', ['-l', zipPath], { encoding: 'utf8' })
    for (const f of files) expect(listing).toContain(f.name)
    const all = execFileSync('unzip', ['-p', zipPath], { encoding: 'utf8' })
    expect(all).toBe(files.map((f) => f.text).join(''))

    for (const planted of [API_KEY, PROXY_PASSWORD, GIVEN, FAMILY, NHS, NHS_SPACED, '1961-04-12'])
      expect(all, `"${planted}" survived`).not.toContain(planted)

    const summary = JSON.parse(files[0]!.text) as {
      app: { version: string }
      connections: { id: string; online: boolean; lastError: string; queue: Record<string, number> }[]
    }
    expect(summary.app.version).toBe('9.8.7')
    expect(summary.connections[0]).toMatchObject({
      id: 'hillside',
      online: false,
      queue: { pending: 2, 'needs-attention': 1 },
      lastError: 'The practice system refused the key [secret] while booking for [name].',
    })
    expect(JSON.parse(files[1]!.text)).toEqual({
      hillside: [
        {
          kind: 'book',
          state: 'needs-attention',
          error: '[name] [name] (NHS [nhs-number]) already has an appointment at that time.',
          at: '2026-06-01T09:03:00Z',
        },
      ],
    })
    expect(files[2]!.text.split('\n').filter(Boolean)).toHaveLength(4)
    expect(files[2]!.text).toContain('booked [name] [name]')
  })
})
