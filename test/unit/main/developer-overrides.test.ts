import { describe, expect, it } from 'vitest'
import { developerOverrides } from '../../../src/main/electron/overrides'
import { isTrustedSender } from '../../../src/main/electron/security'

const env = {
  ELECTRON_RENDERER_URL: 'http://localhost:5173',
  FRONTDESK_UPDATE_URL: 'https://updates.example.org/frontdesk/',
}

describe('developer overrides', () => {
  it('are honoured in development', () => {
    const o = developerOverrides({ isPackaged: false, env })
    expect(o.rendererUrl).toBe('http://localhost:5173')
    expect(o.updateFeedUrl).toBe('https://updates.example.org/frontdesk/')
    expect(o.ignored).toEqual([])
  })

  it('are all ignored in an installed build, and say so', () => {
    const o = developerOverrides({ isPackaged: true, env })
    expect(o.rendererUrl).toBeUndefined()
    expect(o.updateFeedUrl).toBeUndefined()
    expect(o.ignored).toEqual([
      'ELECTRON_RENDERER_URL (installed build)',
      'FRONTDESK_UPDATE_URL (installed build)',
    ])
  })

  it('leave an installed build trusting only its own app:// frame for IPC', () => {
    const attacker = { url: 'http://localhost:5173/index.html' }
    const packaged = developerOverrides({ isPackaged: true, env })
    expect(isTrustedSender(attacker, packaged.rendererUrl)).toBe(false)
    expect(isTrustedSender({ url: 'app://frontdesk/index.html' }, packaged.rendererUrl)).toBe(true)
    const dev = developerOverrides({ isPackaged: false, env })
    expect(isTrustedSender(attacker, dev.rendererUrl)).toBe(true)
  })

  it('refuse a dev server that is not on this machine, and a plain-http feed, even in development', () => {
    const o = developerOverrides({
      isPackaged: false,
      env: {
        ELECTRON_RENDERER_URL: 'http://evil.example:5173',
        FRONTDESK_UPDATE_URL: 'http://updates.example.org/',
      },
    })
    expect(o.rendererUrl).toBeUndefined()
    expect(o.updateFeedUrl).toBeUndefined()
    expect(o.ignored).toHaveLength(2)
  })

  it('read nothing when nothing is set', () => {
    expect(developerOverrides({ isPackaged: false, env: {} })).toEqual({ ignored: [] })
    expect(developerOverrides({ isPackaged: true, env: {} })).toEqual({ ignored: [] })
  })
})
