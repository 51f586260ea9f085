import { describe, expect, it } from 'vitest'
import { CHROMIUM_FEATURES_OFF, disabledFeatures } from '../../../src/main/electron/chromium'

describe('Chromium features the desktop app turns off', () => {
  it('lets an answer that is already in be drawn in the key press frame', () => {
    expect(CHROMIUM_FEATURES_OFF).toContain('DeferRendererTasksAfterInput')
    expect(disabledFeatures()).toBe('DeferRendererTasksAfterInput')
  })

  it('keeps the features already turned off on the command line, since Chromium keeps one value a switch', () => {
    expect(disabledFeatures('PaintHolding, MediaRouter')).toBe(
      'PaintHolding,MediaRouter,DeferRendererTasksAfterInput',
    )
    expect(disabledFeatures('DeferRendererTasksAfterInput,PaintHolding')).toBe(
      'DeferRendererTasksAfterInput,PaintHolding',
    )
    expect(disabledFeatures(',,')).toBe('DeferRendererTasksAfterInput')
  })
})
