import { now } from '../lib/clock'
import { create } from 'zustand'
import type { AppHealth, AppInfo, ConnectionCheck, ConnectionStatus } from '../../../shared/contract'
import type { Connection } from '../../../shared/model'
import type { AppError } from '../../../shared/result'
import type { PractitionerLink } from '../../../shared/practitioner-links'
import type { TypeColour } from '../../../shared/type-colours'
import { api } from '../api/client'
import { keepNewer } from './status-merge'

interface AppState {
  info: AppInfo | null
  health: AppHealth | null
  connections: Connection[]
  /** The last check of each connection, by id; absent while it runs. */
  checks: Record<string, ConnectionCheck>
  /** Online state and queue counts per connection, kept current by events. */
  status: ConnectionStatus[]
  staffName: string
  /** Colours chosen for appointment types, by `connectionId:typeRef` (the rest take their default). */
  typeColours: Record<string, TypeColour>
  /** Clinicians linked across clinic systems: one lane each in the day book. */
  practitionerLinks: PractitionerLink[]
  error: AppError | null
  load(): Promise<void>
  refreshStatus(): Promise<void>
  /** After a connection is added, edited or removed in settings. */
  reloadConnections(): Promise<void>
  checkConnection(connectionId: string): Promise<void>
  setStaffName(name: string): Promise<AppError | null>
  setTypeColour(connectionId: string, typeRef: string, colour: TypeColour): Promise<AppError | null>
  setPractitionerLinks(links: PractitionerLink[]): Promise<AppError | null>
}

/** Status events received per connection: a status read that overlaps one does not undo it. */
const statusEvents = new Map<string, number>()

export const useAppStore = create<AppState>((set, get) => ({
  info: null,
  health: null,
  connections: [],
  checks: {},
  status: [],
  staffName: '',
  typeColours: {},
  practitionerLinks: [],
  error: null,
  async load() {
    const [info, health, connections, settings] = await Promise.all([
      api.app.info({}),
      api.app.health({}),
      api.connections.list({}),
      api.settings.get({}),
    ])
    const firstError = [info, health, connections].find((r) => !r.ok)
    set({
      info: info.ok ? info.value : null,
      health: health.ok ? health.value : null,
      connections: connections.ok ? connections.value : [],
      staffName: settings.ok ? settings.value.staffName : '',
      typeColours: settings.ok ? settings.value.typeColours : get().typeColours,
      practitionerLinks: settings.ok ? settings.value.practitionerLinks : get().practitionerLinks,
      error: firstError && !firstError.ok ? firstError.error : null,
    })
    await Promise.all([get().refreshStatus(), ...get().connections.map((c) => get().checkConnection(c.id))])
  },
  async refreshStatus() {
    const asked = new Map(statusEvents)
    const r = await api.connections.status({})
    if (!r.ok) return
    // A connection whose event arrived meanwhile keeps that newer status, not this older answer.
    set({ status: keepNewer(r.value, get().status, asked, statusEvents) })
  },
  async reloadConnections() {
    const r = await api.connections.list({})
    if (r.ok) set({ connections: r.value })
    await get().refreshStatus()
  },
  async checkConnection(connectionId) {
    const r = await api.credentials.test({ connectionId })
    const check: ConnectionCheck = r.ok
      ? r.value
      : { connectionId, ok: false, detail: r.error.message, checkedAt: now().toISOString() }
    set((s) => ({ checks: { ...s.checks, [connectionId]: check } }))
  },
  async setStaffName(name) {
    const r = await api.settings.setStaffName({ staffName: name })
    if (!r.ok) return r.error
    set({ staffName: r.value.staffName })
    return null
  },
  async setTypeColour(connectionId, typeRef, colour) {
    const r = await api.settings.setTypeColour({ connectionId, typeRef, colour })
    if (!r.ok) return r.error
    set({ typeColours: r.value.typeColours })
    return null
  },
  async setPractitionerLinks(links) {
    const r = await api.settings.setPractitionerLinks({ links })
    if (!r.ok) return r.error
    set({ practitionerLinks: r.value.practitionerLinks })
    return null
  },
}))

/**
 * Queue and connectivity events carry the connection's status after the change: it replaces the
 * one everyone reads (banner, badges, queue counts) without asking again. A connection not known
 * yet (just added) is read with the rest.
 */
function showStatus(next: ConnectionStatus): void {
  statusEvents.set(next.connectionId, (statusEvents.get(next.connectionId) ?? 0) + 1)
  const { status } = useAppStore.getState()
  if (!status.some((s) => s.connectionId === next.connectionId)) {
    void useAppStore.getState().refreshStatus()
    return
  }
  useAppStore.setState({ status: status.map((s) => (s.connectionId === next.connectionId ? next : s)) })
}
api.events.queueChanged((e) => showStatus(e.status))
api.events.connectivityChanged((e) => showStatus(e.status))
