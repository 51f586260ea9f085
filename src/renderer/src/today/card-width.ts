/**
 * How wide a card must be to show its first line whole: the time, the surname and the first name,
 * and on a short card the status marks after them. The day book widens a lane until each card's
 * share of it holds this (layout.ts, up to MAX_COLUMN_WIDTH) rather than cutting a name, so two
 * patients of one surname are told apart at a glance and nobody has to hover to read who it is.
 *
 * Widths are read in the page's own font: each character's advance is measured once on a canvas
 * and a name's width is their sum, so laying out a packed day of ten thousand names is map
 * look-ups. Kerning only narrows a name, so the sum is not short of what the card draws.
 */
import { formatTime } from '../lib/format'
import { remembered } from '../lib/remembered'
import { statusIcon, syncIcon } from './labels'
import type { DayAppointment } from './state/today-store'

/** The least width (px) of a card's share of its lane that shows its first line whole. */
export type CardWidth = (a: DayAppointment, timeZone: string) => number

// The card's parts in app.css: its font size (.day-card), side padding (.day-card), the gap
// between the pieces of a line (.day-card-line) and the marks' font size (.day-card-marks), in rem.
const CARD_FONT_REM = 0.85
const PADDING_REM = 0.4 * 2
const GAP_REM = 0.35
const MARKS_FONT_REM = 0.7
/** The card's borders (1 px and the 5 px status edge), the type colour's 5 px stripe and the 6 px between side-by-side slots. */
const FIXED_PX = 1 + 5 + 5 + 6
/** Each piece's width is rounded to a whole pixel on screen. */
const SLACK_PX = 4

/** The card's name as DayGrid draws it: "SURNAME, First", or "Unknown patient". */
export const cardName = (a: DayAppointment): string =>
  a.patient ? `${a.patient.familyName.toUpperCase()}, ${a.patient.givenName}` : 'Unknown patient'

/**
 * Card widths measured in this page's font. Without a canvas (never in a browser) every card asks
 * for nothing, lanes keep their least width and the cards' CSS cuts a long name surname first.
 */
export function cardWidthInPage(doc: Document = document): CardWidth {
  const ctx = doc.createElement('canvas').getContext('2d')
  if (!ctx) return () => 0
  const rem = parseFloat(getComputedStyle(doc.documentElement).fontSize) || 16
  const family = getComputedStyle(doc.body).fontFamily
  const fonts = {
    name: `700 ${CARD_FONT_REM * rem}px ${family}`,
    time: `400 ${CARD_FONT_REM * rem}px ${family}`,
    marks: `700 ${MARKS_FONT_REM * rem}px ${family}`,
  }
  const advances = {
    name: new Map<string, number>(),
    time: new Map<string, number>(),
    marks: new Map<string, number>(),
  }
  const widthOf = (text: string, font: keyof typeof fonts): number => {
    const known = advances[font]
    let w = 0
    for (const ch of text) {
      let a = known.get(ch)
      if (a === undefined) {
        ctx.font = fonts[font]
        a = ctx.measureText(ch).width
        known.set(ch, a)
      }
      w += a
    }
    return w
  }
  const marks = Math.max(
    ...[...Object.values(statusIcon), ...Object.values(syncIcon)].map((m) => (m ? widthOf(m, 'marks') : 0)),
  )
  const chrome = FIXED_PX + SLACK_PX + (PADDING_REM + 2 * GAP_REM) * rem + marks
  const names = new Map<string, number>()
  const times = new Map<string, number>()
  return (a, timeZone) => {
    const time = a.start ? formatTime(a.start, timeZone) : ''
    const name = cardName(a)
    return Math.ceil(
      chrome +
        remembered(times, time, () => widthOf(time, 'time')) +
        remembered(names, name, () => widthOf(name, 'name')),
    )
  }
}

let measured: CardWidth | null = null
/** The page's one measure, so laid-out days (layoutDay) are reused across renders. */
export const pageCardWidth = (): CardWidth => (measured ??= cardWidthInPage())
