/**
 * `npm run test:live` end to end, pointed at the four simulators by nothing but its documented
 * FRONTDESK_LIVE_<VENDOR>_* variables: the script, its variable checks and the suite's live
 * target are the ones a partner runs against a real sandbox, so they are known to work. Read-only,
 * as a partner's first run is. Without the variables it skips cleanly and says why.
 */
import { tracesStraightIn } from '../../../src/sandbox/hero/state'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../../src/sandbox'
import type { Vendor } from '../../../src/shared/model'

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 40 })
}, 60_000)

afterAll(async () => {
  await sandbox?.close()
})

/** The environment without any FRONTDESK_LIVE_ variable of the machine's own. */
function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('FRONTDESK_LIVE'),
    ),
  )
}

/** Runs the script without blocking this process, which serves the simulators it talks to. */
function run(
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn('bash', ['scripts/test-live.sh'], { env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', fail)
    child.on('close', (status) => done({ status, stdout, stderr }))
  })
}

describe('npm run test:live', () => {
  it('skips cleanly without credentials, naming what each vendor lacks', async () => {
    const r = await run(cleanEnv())
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('[live] skipped: no vendor sandbox is configured')
    for (const vendor of ['SEMBLE', 'HEALTHIE', 'HERO', 'HEIM'])
      expect(r.stdout).toMatch(new RegExp(`FRONTDESK_LIVE_${vendor}_URL`))
  })

  it('passes against the simulators named by its variables, read-only, and writes each table', async () => {
    const heroPerson = sandbox.hero.control.state.pds.find(tracesStraightIn)!
    const surname = (v: Vendor) => sandbox.clinics[v].patients[0]!.familyName
    const env = {
      ...cleanEnv(),
      FRONTDESK_LIVE_SEMBLE_URL: sandbox.semble.url,
      FRONTDESK_LIVE_SEMBLE_TOKEN: sandbox.semble.credentials.apiToken!,
      FRONTDESK_LIVE_SEMBLE_SEARCH: surname('semble'),
      FRONTDESK_LIVE_HEALTHIE_URL: sandbox.healthie.url,
      FRONTDESK_LIVE_HEALTHIE_API_KEY: sandbox.healthie.credentials.apiKey!,
      FRONTDESK_LIVE_HEALTHIE_SEARCH: surname('healthie'),
      FRONTDESK_LIVE_HERO_URL: sandbox.hero.url,
      FRONTDESK_LIVE_HERO_API_KEY: sandbox.hero.credentials.apiKey!,
      FRONTDESK_LIVE_HERO_PRACTICE_GROUP_ID: sandbox.hero.credentials.practiceGroupId!,
      FRONTDESK_LIVE_HERO_TRACE_NHS_NUMBER: heroPerson.nhsNumber,
      FRONTDESK_LIVE_HERO_TRACE_BIRTH_DATE: heroPerson.birthDate,
      FRONTDESK_LIVE_HEIM_URL: sandbox.heim.url,
      FRONTDESK_LIVE_HEIM_API_KEY: sandbox.heim.credentials.apiKey!,
      FRONTDESK_LIVE_HEIM_SEARCH: surname('heim'),
    }
    const r = await run(env)
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0)
    for (const vendor of ['semble', 'healthie', 'hero', 'heim'] as const) {
      const table = readFileSync(`test-results/conformance-${vendor}-live.md`, 'utf8')
      // Read-only: what it could read passed, the writes were not tried, nothing failed.
      expect(table, vendor).toMatch(/\| list a day \| pass \|/)
      expect(table, vendor).toMatch(/\| book \| not tried \|/)
      expect(table, vendor).not.toMatch(/\| fail \|/)
      // No credential reached the table a partner attaches to a support ticket.
      const secrets = Object.entries(sandbox[vendor].credentials).filter(([k]) =>
        /key|token|password/i.test(k),
      )
      expect(secrets.length, vendor).toBeGreaterThan(0)
      for (const [, secret] of secrets) expect(table, vendor).not.toContain(secret)
    }
  }, 300_000)
})
