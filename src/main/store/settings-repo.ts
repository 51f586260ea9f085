/** App settings kept in the store (key/value): the staff name the audit log records, type colours, linked clinicians. */
import { z } from 'zod'
import { practitionerLinkSchema, type PractitionerLink } from '../../shared/practitioner-links'
import { typeColourKeys, type TypeColour } from '../../shared/type-colours'
import type { Db } from './database'

const TYPE_COLOURS_KEY = 'typeColours'
const PRACTITIONER_LINKS_KEY = 'practitionerLinks'
const typeColour = z.enum(typeColourKeys)

const DEFAULT_STAFF_NAME = 'Reception'

export class SettingsRepo {
  constructor(private readonly db: Db) {}

  /** The name written into the audit log and the outbox for each change ("Reception" until set). */
  staffName(): string {
    const row = this.db.prepare(`SELECT value FROM settings WHERE key = 'staffName'`).get() as
      { value: string } | undefined
    return row?.value ?? DEFAULT_STAFF_NAME
  }

  setStaffName(name: string): void {
    this.db
      .prepare(
        `INSERT INTO settings (key, value) VALUES ('staffName', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      )
      .run(name)
  }

  /** Colours chosen for appointment types, by `connectionId:typeRef`; a stored value this version cannot read is left out. */
  typeColours(): Record<string, TypeColour> {
    const raw = this.db.prepare(`SELECT value FROM settings WHERE key = ?`).pluck().get(TYPE_COLOURS_KEY) as
      string | undefined
    if (!raw) return {}
    try {
      const parsed = z.record(z.string(), z.unknown()).parse(JSON.parse(raw))
      return Object.fromEntries(
        Object.entries(parsed).filter((e): e is [string, TypeColour] => typeColour.safeParse(e[1]).success),
      )
    } catch {
      return {}
    }
  }

  setTypeColour(key: string, colour: TypeColour): Record<string, TypeColour> {
    const next = { ...this.typeColours(), [key]: colour }
    this.db
      .prepare(
        `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      )
      .run(TYPE_COLOURS_KEY, JSON.stringify(next))
    return next
  }

  /** Clinicians linked across clinic systems; a stored link this version cannot read is left out. */
  practitionerLinks(): PractitionerLink[] {
    const raw = this.db
      .prepare(`SELECT value FROM settings WHERE key = ?`)
      .pluck()
      .get(PRACTITIONER_LINKS_KEY) as string | undefined
    if (!raw) return []
    try {
      return z
        .array(z.unknown())
        .parse(JSON.parse(raw))
        .flatMap((l) => {
          const r = practitionerLinkSchema.safeParse(l)
          return r.success ? [r.data] : []
        })
    } catch {
      return []
    }
  }

  setPractitionerLinks(links: PractitionerLink[]): PractitionerLink[] {
    this.db
      .prepare(
        `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      )
      .run(PRACTITIONER_LINKS_KEY, JSON.stringify(links))
    return links
  }
}
