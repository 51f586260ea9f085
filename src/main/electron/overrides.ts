/**
 * Developer overrides read from the environment, decided in one place. An installed (packaged)
 * build ignores every one of them: otherwise any local program could start the signed app with
 * `ELECTRON_RENDERER_URL` pointing at its own page and get the keychain-backed API, or with
 * `FRONTDESK_UPDATE_URL` pointing at its own update feed.
 *
 * Kept in packaged builds on purpose: `FRONTDESK_UPDATES=off` (IT turns in-app updates off where
 * staff cannot elevate; it opens nothing) and the demo profile switch.
 */
import { feedUrlProblem } from '../updates/policy'

export interface DeveloperOverrides {
  /** The electron-vite dev server to load instead of app:// (and to trust for IPC). */
  rendererUrl?: string
  /** A generic update feed instead of the one baked in at build time. */
  updateFeedUrl?: string
  /** Why each ignored variable was ignored, for one log line at start. */
  ignored: string[]
}

/** Dev servers run on this machine only: anything else is refused even in development. */
function loopbackHttpUrl(value: string): boolean {
  try {
    const u = new URL(value)
    return (
      (u.protocol === 'http:' || u.protocol === 'https:') &&
      ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)
    )
  } catch {
    return false
  }
}

export function developerOverrides(input: {
  isPackaged: boolean
  env: Record<string, string | undefined>
}): DeveloperOverrides {
  const { env, isPackaged } = input
  const out: DeveloperOverrides = { ignored: [] }
  const renderer = env.ELECTRON_RENDERER_URL
  const feed = env.FRONTDESK_UPDATE_URL
  if (isPackaged) {
    if (renderer) out.ignored.push('ELECTRON_RENDERER_URL (installed build)')
    if (feed) out.ignored.push('FRONTDESK_UPDATE_URL (installed build)')
    return out
  }
  if (renderer) {
    if (loopbackHttpUrl(renderer)) out.rendererUrl = renderer
    else out.ignored.push('ELECTRON_RENDERER_URL (not a loopback address)')
  }
  if (feed) {
    const problem = feedUrlProblem(feed)
    if (problem) out.ignored.push(`FRONTDESK_UPDATE_URL (${problem})`)
    else out.updateFeedUrl = feed
  }
  return out
}
