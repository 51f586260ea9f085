/**
 * A date typed into patient search is read against the clinic's today on the app's clock: not the
 * PC's date, and not the UTC date. On a real encrypted file, through the patients service.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CacheRepo } from '../../../src/main/cache/cache-repo'
import { upsertPatients } from '../../../src/main/search'
import { PatientsService } from '../../../src/main/services/patients'
import { ConnectionsRepo } from '../../../src/main/store/connections-repo'
import { openDatabase } from '../../../src/main/store/database'
import { OutboxRepo } from '../../../src/main/sync/outbox-repo'
import { ManualClock } from '../../../src/shared/clock'
import { tempDir } from '../../support/temp'

/** A clinic in `zone` holding one patient born on `born`, searched with the app's clock at `at`. */
function searchAt(at: string, zone: string, born: string, text: string) {
  const clock = new ManualClock(new Date(at))
  const t = tempDir('frontdesk-search-today-')
  const db = openDatabase({ file: join(t.dir, 'clinic.db'), key: randomBytes(32).toString('hex') })
  try {
    const connections = new ConnectionsRepo(db, clock)
    connections.upsert({
      id: 'north',
      vendor: 'semble',
      label: 'North',
      baseUrl: 'http://127.0.0.1:9/graphql',
      timeZone: zone,
      locale: 'en-GB',
      options: {},
      demo: false,
    })
    upsertPatients(
      db,
      [{ ref: 'b1', connectionId: 'north', givenName: 'Baby', familyName: 'Okafor', birthDate: born }],
      at,
    )
    const notUsed = (what: string) => () => {
      throw new Error(`${what} is not used by search`)
    }
    const patients = new PatientsService(
      connections,
      new CacheRepo(db, () => clock.now()),
      new OutboxRepo(db, () => clock.now()),
      undefined as never, // the sync engine: search does not touch it
      notUsed('adapterFor'),
      () => 'Reception',
      notUsed('appointmentView'),
    )
    return patients.search({ text })
  } finally {
    db.close()
    t.cleanup()
  }
}

describe("patient search reads a typed date against the clinic's today", () => {
  it('finds a baby born today by date of birth just after midnight BST (the UTC date is still yesterday)', () => {
    // 00:30 BST on Sunday 15 June 2031 at the clinic, years after the PC's own date.
    const r = searchAt('2031-06-14T23:30:00.000Z', 'Europe/London', '2031-06-15', '15/06/2031')
    expect(r.problem).toBeUndefined()
    expect(r.results.map((h) => h.familyName)).toEqual(['Okafor'])
  })

  it('does not take tomorrow for a date of birth in New York in the evening (the UTC date is already tomorrow)', () => {
    // 21:00 EDT on Saturday 14 June 2031.
    const r = searchAt('2031-06-15T01:00:00.000Z', 'America/New_York', '2031-06-15', '15/06/2031')
    expect(r.results).toEqual([])
    expect(r.problem).toMatch(/future/)
  })
})
