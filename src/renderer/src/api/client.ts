import type { FrontdeskApi } from '../../../shared/contract'
import { createBrowserClient } from './browser-client'

declare global {
  interface Window {
    /** Set by the preload under Electron; absent under the browser host. */
    frontdesk?: FrontdeskApi
  }
}

/** One client factory, two transports: the renderer cannot tell which it has. */
export const api: FrontdeskApi = window.frontdesk ?? createBrowserClient()
