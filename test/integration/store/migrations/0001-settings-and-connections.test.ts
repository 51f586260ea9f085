import { afterEach, describe, expect, it } from 'vitest'
import { insertConnection, storeAtVersion } from '../../../support/migrations'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

describe('migration 1: settings and connections', () => {
  it('creates a store that keeps settings and connections, and refuses an unknown vendor', () => {
    const store = storeAtVersion(0)
    cleanups.push(store.cleanup)
    store.migrateTo(1)
    const { db } = store
    db.prepare(`INSERT INTO settings (key, value) VALUES ('staffName', 'Priya Shah')`).run()
    insertConnection(db, 'riverside', 'semble', '2026-03-02T08:00:00.000Z')
    expect(db.prepare(`SELECT value FROM settings WHERE key = 'staffName'`).get()).toEqual({
      value: 'Priya Shah',
    })
    expect(db.prepare(`SELECT vendor, locale, options, demo FROM connections`).get()).toEqual({
      vendor: 'semble',
      locale: 'en-GB',
      options: '{}',
      demo: 0,
    })
    expect(() => insertConnection(db, 'other', 'cliniko' as 'semble', '2026-03-02T08:00:00.000Z')).toThrow(
      /CHECK constraint failed/,
    )
  })
})
