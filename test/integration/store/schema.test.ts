import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { latestSchemaVersion, migrations } from '../../../src/main/store/migrations'
import { storeAtVersion } from '../../support/migrations'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

describe('the live schema', () => {
  // The snapshot is the schema every migration adds up to. A change to it that is not a new
  // migration (an edited shipped migration, a table created outside the list) fails here; a new
  // migration updates it on purpose with `npx vitest run test/integration/store/schema.test.ts --update=all`
  // (the path first: `-u` takes a value and would swallow it).
  it('matches the checked-in snapshot', async () => {
    const store = storeAtVersion(0)
    cleanups.push(store.cleanup)
    store.migrateTo(latestSchemaVersion())
    const objects = store.db
      .prepare(`SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name`)
      .all() as { type: string; name: string; sql: string }[]
    const text = [
      `-- Frontdesk store schema, version ${latestSchemaVersion()}`,
      ...objects.map((o) => `-- ${o.type} ${o.name}\n${o.sql};`),
    ].join('\n\n')
    await expect(`${text}\n`).toMatchFileSnapshot('./schema.snapshot.sql')
  })

  // Shipped migrations are history: their text never changes, even where the schema would not
  // (a data rewrite such as migration 5). A new migration adds a line here with `-u`.
  it('keeps the text of every shipped migration', async () => {
    const lines = migrations.map(
      (m) => `${m.version} ${createHash('sha256').update(m.sql).digest('hex')} ${m.name}`,
    )
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1))
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./shipped-migrations.sha256')
  })
})
