import { create } from 'zustand'
import type { AppHealth, AppInfo } from '../../../shared/contract'
import type { Connection } from '../../../shared/model'
import type { AppError } from '../../../shared/result'
import { api } from '../api/client'

interface AppState {
  info: AppInfo | null
  health: AppHealth | null
  connections: Connection[]
  error: AppError | null
  loading: boolean
  load(): Promise<void>
}

export const useAppStore = create<AppState>((set) => ({
  info: null,
  health: null,
  connections: [],
  error: null,
  loading: false,
  async load() {
    set({ loading: true })
    const [info, health, connections] = await Promise.all([
      api.app.info({}),
      api.app.health({}),
      api.connections.list({}),
    ])
    const firstError = [info, health, connections].find((r) => !r.ok)
    set({
      loading: false,
      info: info.ok ? info.value : null,
      health: health.ok ? health.value : null,
      connections: connections.ok ? connections.value : [],
      error: firstError && !firstError.ok ? firstError.error : null,
    })
  },
}))
