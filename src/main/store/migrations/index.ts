/**
 * The schema's history, oldest first. The store records the last one applied in
 * `PRAGMA user_version`; every pending migration runs inside one transaction, so a crash leaves
 * the old schema intact. Append new migrations at the end; never edit one that has shipped.
 */
import { migration0001 } from './0001-settings-and-connections'
import { migration0002 } from './0002-cache-outbox-audit'
import { migration0003 } from './0003-patient-name-index'
import { migration0004 } from './0004-appointment-patient-ref'
import { migration0005 } from './0005-instants-in-utc'
import { migration0006 } from './0006-slot-cache'
import { migration0007 } from './0007-practitioner-role-and-types'
import { migration0008 } from './0008-arrival-time'
import { migration0009 } from './0009-staff'
import { migration0010 } from './0010-patient-name-words'
import { migration0011 } from './0011-appointments-by-fetch-time'
import { migration0012 } from './0012-patient-search-rows'
import { migration0013 } from './0013-patients-missing-from-list'
import { migration0014 } from './0014-audit-outbox-seq'
import type { Migration } from './migration'

export type { Migration } from './migration'

export const migrations: Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
]

export const latestSchemaVersion = (list: Migration[] = migrations) => list.at(-1)?.version ?? 0
