import { create } from 'zustand'
import type { AppHealth, AppInfo, ConnectionCheck } from '../../../shared/contract'
import type { Connection } from '../../../shared/model'
import type { AppError } from '../../../shared/result'
import { api } from '../api/client'

interface AppState {
  info: AppInfo | null
  health: AppHealth | null
  connections: Connection[]
  /** The last check of each connection, by id; absent while it runs. */
  checks: Record<string, ConnectionCheck>
  error: AppError | null
  load(): Promise<void>
  checkConnection(connectionId: string): Promise<void>
}

export const useAppStore = create<AppState>((set, get) => ({
  info: null,
  health: null,
  connections: [],
  checks: {},
  error: null,
  async load() {
    const [info, health, connections] = await Promise.all([
      api.app.info({}),
      api.app.health({}),
      api.connections.list({}),
    ])
    const firstError = [info, health, connections].find((r) => !r.ok)
    set({
      info: info.ok ? info.value : null,
      health: health.ok ? health.value : null,
      connections: connections.ok ? connections.value : [],
      error: firstError && !firstError.ok ? firstError.error : null,
    })
    await Promise.all(get().connections.map((c) => get().checkConnection(c.id)))
  },
  async checkConnection(connectionId) {
    const r = await api.credentials.test({ connectionId })
    const check: ConnectionCheck = r.ok
      ? r.value
      : { connectionId, ok: false, detail: r.error.message, checkedAt: new Date().toISOString() }
    set((s) => ({ checks: { ...s.checks, [connectionId]: check } }))
  },
}))
