import { describe, expect, it } from 'vitest'
import { oneSlipAway } from '../../../src/main/search/search'
import { slips, swapDayMonth } from '../../../src/main/search/similar'

describe('slips: typing slips between two names', () => {
  it('counts a swap of neighbours, a wrong, a missing and an extra letter as one each', () => {
    expect(slips('kaur', 'kaur')).toBe(0)
    expect(slips('kuar', 'kaur')).toBe(1)
    expect(slips('smyth', 'smith')).toBe(1)
    expect(slips('smth', 'smith')).toBe(1)
    expect(slips('smiith', 'smith')).toBe(1)
    expect(slips('may', 'mei')).toBe(2)
    // Each letter is edited once at most (optimal string alignment): not a deletion, then a swap across it.
    expect(slips('kumar', 'kaur')).toBe(3)
    expect(slips('', 'abc')).toBe(3)
    expect(slips('chen', 'chan')).toBe(1)
    expect(slips('abcdef', 'badcfe')).toBe(3)
  })
})

describe('oneSlipAway', () => {
  it('lists swaps first, then every wrong, extra and missing letter, never the word itself', () => {
    const near = oneSlipAway('kuar')
    expect(near[0]).toBe('ukar')
    expect(near.slice(0, 3)).toContain('kaur')
    expect(near).toContain('kuir')
    expect(near).toContain('kuart')
    expect(near).toContain('kar')
    expect(near).not.toContain('kuar')
    expect(near.every((w) => slips(w, 'kuar') === 1)).toBe(true)
  })
})

describe('swapDayMonth', () => {
  it('swaps day and month only when that is another real date', () => {
    expect(swapDayMonth('2014-10-04')).toBe('2014-04-10')
    expect(swapDayMonth('2014-10-14')).toBeNull()
    expect(swapDayMonth('2014-05-05')).toBeNull()
  })
})
