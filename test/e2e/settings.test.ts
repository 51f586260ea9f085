/**
 * Connections and settings as a clinic's admin uses them: add a connection (a bad time zone is
 * explained next to its field), store credentials that never come back to the page or out of any
 * API answer, test the connection, refuse to remove one with changes waiting, and set the name the
 * audit log records against each change.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActionResult, QueueItem } from '../../src/shared/contract'
import { screenshot, seriousViolations, startDemoHost, type DemoHost } from '../support/e2e'
import { until } from '../support/until'

const CONNECTION = 'demo-semble'
let demo: DemoHost
let page: Page
let problems: string[]
const answers: string[] = []

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await demo.runtime.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}

let booking: {
  typeRef: string
  locationRef: string
  patientId: string
  slots: { start: string; end: string; practitionerRef?: string }[]
}

/** A booking through the contract, as another screen would make it. */
async function bookSomething(): Promise<ActionResult> {
  const slot = booking.slots.shift()!
  return call<ActionResult>('appointments.book', {
    connectionId: CONNECTION,
    patientId: booking.patientId,
    appointmentTypeRef: booking.typeRef,
    practitionerRef: slot.practitionerRef!,
    locationRef: booking.locationRef,
    start: slot.start,
    end: slot.end,
  })
}

beforeAll(async () => {
  demo = await startDemoHost({ patients: 200, name: 'settings' })
  const adapter = demo.runtime.adapters.get(CONNECTION)
  const [types, locations, found] = await Promise.all([
    adapter.listAppointmentTypes!(),
    adapter.listLocations!(),
    adapter.findPatients!({ text: '', limit: 3 }),
  ])
  const typeRef = types.find((t) => t.lengthMinutes <= 30)!.ref
  const from = new Date(demo.clock.now().getTime() + 5 * 24 * 3600_000)
  const all = await adapter.findSlots!({
    from: from.toISOString(),
    to: new Date(from.getTime() + 3 * 24 * 3600_000).toISOString(),
    appointmentTypeRef: typeRef,
    locationRef: locations[0]!.ref,
  })
  const seen = new Set<string>()
  booking = {
    typeRef,
    locationRef: locations[0]!.ref,
    patientId: demo.runtime.cache.upsertPatient(found[0]!),
    slots: all.filter((x) => {
      const key = x.start.slice(0, 13)
      return seen.has(key) ? false : (seen.add(key), true)
    }),
  }
  ;({ page, problems } = await demo.page({ bypassCSP: true }))
  // Every answer the page receives, to prove no credential ever comes back.
  page.on('response', (res) => {
    if (res.url().includes('/api/call/'))
      void res.text().then(
        (t) => answers.push(t),
        () => {},
      )
  })
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByTestId('settings-view').waitFor()
})

afterAll(async () => {
  await demo?.runtime.sandbox?.semble.control.setOffline(false)
  await demo?.close()
})

describe('connections and settings', () => {
  it('adds a connection, explaining a bad time zone next to its field', async () => {
    const sim = demo.runtime.sandbox!.semble
    await page.getByRole('button', { name: 'Add a connection' }).click()
    const form = page.getByRole('form', { name: 'Add a connection' })
    await form.waitFor()
    expect(await form.getByLabel('Clinic system').inputValue()).toBe('semble')
    expect(await form.getByLabel('Clinic system').locator('option:checked').textContent()).toBe(
      'Semble (Heydoc)',
    )
    expect(await form.getByLabel('Clinic time zone').inputValue()).toBe('Europe/London')
    expect(await form.getByLabel('Date and number format').inputValue()).toBe('en-GB')
    await form.getByLabel('Name shown to staff').fill('Northside Clinic')
    await form.getByLabel('Address (base URL)').fill(`${sim.url}/graphql`)
    await form.getByLabel('NHS number identifier type').fill(sim.credentials.nhsNumberTypeId!)
    await form.getByLabel('Clinic time zone').fill('Mars/Olympus')
    await form.getByRole('button', { name: 'Add connection' }).click()

    const zone = form.getByLabel('Clinic time zone')
    await until('field error', async () => (await zone.getAttribute('aria-invalid')) === 'true')
    const errorId = (await zone.getAttribute('aria-describedby'))!
      .split(' ')
      .find((x) => x.endsWith('-error'))!
    const fieldError = page.locator(`[id="${errorId}"]`)
    expect(await fieldError.textContent()).toBe(
      '"Mars/Olympus" is not a time zone; use a name like Europe/London.',
    )
    // Right under the field, inside the same field group.
    expect(await zone.locator('xpath=..').locator(`[id="${errorId}"]`).count()).toBe(1)
    // The cursor is put in the field to correct.
    expect(await page.evaluate('document.activeElement?.id')).toBe(await zone.getAttribute('id'))
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'settings-validation')

    await zone.fill('Europe/London')
    await form.getByRole('button', { name: 'Add connection' }).click()
    await page.getByRole('form', { name: 'Credentials for Northside Clinic' }).waitFor()
    const added = (
      await call<{ id: string; label: string; timeZone: string }[]>('connections.list', {})
    ).find((c) => c.label === 'Northside Clinic')
    expect(added).toMatchObject({ timeZone: 'Europe/London' })
    expect(await page.getByTestId('settings-connections').textContent()).toContain('Northside Clinic')
  })

  it('stores credentials write-only and tests the connection', async () => {
    const sim = demo.runtime.sandbox!.semble
    const token = sim.credentials.apiToken!
    const form = page.getByRole('form', { name: 'Credentials for Northside Clinic' })
    await until('status read', async () =>
      (await form.getByTestId('credential-status').textContent())!.includes('API token: not set'),
    )
    const tokenInput = form.getByLabel('New API token')
    expect(await tokenInput.getAttribute('type')).toBe('password')
    expect(await tokenInput.getAttribute('autocomplete')).toBe('off')

    // A wrong token first: the test says so in words.
    await tokenInput.fill('not-the-right-token')
    await form.getByRole('button', { name: 'Store in keychain' }).click()
    await until('stored', async () =>
      (await form.getByTestId('credential-status').textContent())!.includes('API token: stored'),
    )
    await form.getByRole('button', { name: 'Test connection' }).click()
    await until('tested', async () =>
      /^Not working: .+/.test((await form.getByTestId('test-result').textContent())!),
    )

    await tokenInput.fill(token)
    await form.getByRole('button', { name: 'Store in keychain' }).click()
    await until('cleared', async () => (await tokenInput.inputValue()) === '')
    await form.getByRole('button', { name: 'Test connection' }).click()
    await until(
      'tested ok',
      async () => /^Working: .+/.test((await form.getByTestId('test-result').textContent())!),
      30_000,
    )
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'settings-credentials')

    // The values never come back: not in the page, not in any answer, not from a fresh status read.
    expect(await page.content()).not.toContain(token)
    expect(await page.content()).not.toContain('not-the-right-token')
    expect(answers.length).toBeGreaterThan(5)
    expect(answers.filter((a) => a.includes(token) || a.includes('not-the-right-token'))).toEqual([])
    const status = await call<{ present: string[] }>('credentials.status', {
      connectionId: (await call<{ id: string; label: string }[]>('connections.list', {})).find(
        (c) => c.label === 'Northside Clinic',
      )!.id,
    })
    expect(JSON.stringify(status)).not.toContain(token)
    expect(status.present).toEqual(['apiToken'])
  })

  it('refuses to remove a connection with changes waiting, and removes one without', async () => {
    const semble = demo.runtime.sandbox!.semble
    await semble.control.setOffline(true)
    await bookSomething()
    await until(
      'queued',
      async () => (await call<QueueItem[]>('queue.list', { connectionId: CONNECTION })).length > 0,
    )
    await page.getByRole('button', { name: 'Remove Riverside Clinic' }).click()
    await page.getByRole('button', { name: 'Remove connection' }).click()
    const refusal = page.getByRole('alert').filter({ hasText: 'still waiting to be sent' })
    await refusal.waitFor()
    expect(await refusal.textContent()).toContain('Send or discard them first.')
    expect(await page.getByTestId('settings-connections').textContent()).toContain('Riverside Clinic')
    await semble.control.setOffline(false)
    await until(
      'sent',
      async () => (await call<QueueItem[]>('queue.list', { connectionId: CONNECTION })).length === 0,
    )

    await page.getByRole('button', { name: 'Remove Northside Clinic' }).click()
    await page.getByRole('button', { name: 'Remove connection' }).click()
    await until(
      'removed',
      async () => !(await page.getByTestId('settings-connections').textContent())!.includes('Northside'),
    )
  })

  it('records the staff name in the audit log against an action', async () => {
    await page.getByLabel('Your name').fill('Priya Shah')
    await page.getByRole('button', { name: 'Save name' }).click()
    await until('saved', async () => (await page.getByTestId('current-staff').textContent()) === 'Priya Shah')
    await bookSomething()

    await page.getByRole('button', { name: 'Audit log' }).click()
    await page.getByTestId('audit-table').waitFor()
    await page.getByLabel('Filter').fill('priya booked')
    const rows = page.getByTestId('audit-row')
    await until('row', async () => (await rows.count()) > 0)
    const first = (await rows.first().textContent())!
    expect(first).toContain('Priya Shah')
    expect(first).toContain('Riverside Clinic')
    expect(first).toMatch(/Booked appointment — .+ · \w{3} \d{1,2} \w{3,4}, \d\d:\d\d–\d\d:\d\d/)
    expect(first).toMatch(/\w{3},? \d{1,2} \w{3,4} \d{4}, \d\d:\d\d:\d\d/)
    // Earlier actions were made as the default name.
    await page.getByLabel('Filter').fill('')
    expect(await page.getByTestId('audit-table').textContent()).toContain('Reception')
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'audit-log')
    expect(problems).toEqual([])
  })
})
