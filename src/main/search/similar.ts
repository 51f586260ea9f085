/**
 * How far apart two names are in typing slips: the optimal-string-alignment distance (a wrong,
 * missing or extra letter, or two neighbours swapped, each count one). Names are compared folded
 * and compacted (src/main/search/normalise.ts), so case, accents and punctuation never count.
 */
export function slips(a: string, b: string): number {
  if (a === b) return 0
  const m = a.length
  const n = b.length
  // Three rows of the dynamic programme: two back for a swap.
  let before = new Array<number>(n + 1).fill(0)
  let prev = Array.from({ length: n + 1 }, (_, j) => j)
  let cur = new Array<number>(n + 1).fill(0)
  for (let i = 1; i <= m; i++) {
    cur[0] = i
    for (let j = 1; j <= n; j++) {
      const cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost)
      if (i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2) && a.charAt(i - 2) === b.charAt(j - 1))
        d = Math.min(d, (before[j - 2] as number) + 1)
      cur[j] = d
    }
    ;[before, prev, cur] = [prev, cur, before]
  }
  return prev[n] as number
}

/** A date of birth with day and month swapped, when that is another real date ("2014-10-04" → "2014-04-10"). */
export function swapDayMonth(iso: string): string | null {
  const [y, m, d] = iso.split('-')
  if (!y || !m || !d || m === d || Number(d) > 12) return null
  return `${y}-${d}-${m}`
}
