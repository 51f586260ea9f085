/**
 * Patient search on the local cache (docs/architecture.md §5): exact identifiers through their
 * indexes, names through the index built by migration 3 and their hits' rows from migration 12's
 * copy in the same order. Every statement is prepared once per database; a keystroke costs a
 * handful of index seeks and never a sort of thousands of rows. A patient its clinic system no
 * longer lists (gone, migration 13) stays in the indexes but is never a hit.
 */
import type { CountryCode } from 'libphonenumber-js'
import type { PatientHit } from '../../shared/contract'
import type { Vendor } from '../../shared/model'
import type { Db } from '../store/database'
import { goneRowids, nameWords, prepared, type Row, type Statements, type TermRow } from './search-index-repo'
import { nameParts, sortKey } from './normalise'
import { swapDayMonth } from './similar'
import { describeQuery, parseQuery, problemWith, type NameWord, type ParsedQuery } from './parse'

/** A search result: one type for the search and the contract (src/shared/contract.ts). */
export type { PatientHit }
export type MatchedOn = PatientHit['matchedOn']

/** The ranking tiers, best first; within a tier hits are alphabetical by surname, given name, date of birth. */
export const RANK = {
  nhsNumber: 0,
  phone: 1,
  /** Date of birth or postcode, alone or with a name. */
  identifier: 2,
  /** The surname starts with a typed word ("smi" → Smith, "obrien" → O'Brien). */
  surname: 3,
  /** A later word of the surname does ("smith" → Jones-Smith). */
  laterSurname: 4,
  /** Only the given name does. */
  givenName: 5,
  /** Nothing matched exactly; day and month of the typed date of birth swapped (SUI matcher cascade). */
  swappedDate: 6,
  /** No exact match for a word; a name one typing slip away from it (below every exact match). */
  similarName: 7,
} as const

export interface SearchRequest {
  text: string
  /** Only these connections; all searchable ones when absent. */
  connectionIds?: string[]
  limit?: number
  /**
   * Count matches up to this many (at least `limit`) and answer how many in `matched`, while
   * returning only `limit` hits: the count comes from the index, and rows are read for the hits
   * shown only (each one read is a page decrypted when it is not in the cache).
   */
  countUpTo?: number
  /** The clinic's local date, YYYY-MM-DD, for reading two-digit years. */
  today?: string
  /** For phone numbers typed without a country code. */
  region?: CountryCode
}

export interface SearchResponse {
  results: PatientHit[]
  /** How the input was read, one line per part, for the UI to show under the box. */
  interpretedAs: string[]
  /** Why there are no results, when it is the input's fault or the connection cannot search. */
  problem?: string
  /** Connections left out because their vendor finds patients only by a trace (Hero). */
  traceOnly?: string[]
  /** The query with a misspelt name corrected, when its results are among those shown ("Kuar" → "Kaur"). */
  didYouMean?: string
  /** With `countUpTo`: how many matched, counted up to it (reaching it means "or more"). */
  matched?: number
}

export type SearchCapability =
  { kind: 'local-and-vendor'; explanation: string } | { kind: 'trace-only'; explanation: string }

const TRACE_ONLY_EXPLANATION =
  'Hero Health finds patients only by an exact NHS trace: NHS number and date of birth, or name, date of birth and postcode.'

/** Whether a vendor's patients can be searched as typed, or only traced exactly. */
export function searchCapability(vendor: Vendor): SearchCapability {
  if (vendor === 'hero') return { kind: 'trace-only', explanation: TRACE_ONLY_EXPLANATION }
  return {
    kind: 'local-and-vendor',
    explanation: 'Search as you type: name, date of birth, NHS number, phone number or postcode.',
  }
}

interface Candidate {
  doc: number
  key: string
  rank: number
  row?: Row
}

/** Upper bound for a term range: every term that starts with `prefix`. */
const after = (prefix: string) => `${prefix}\uffff`
const PAGE = 128
/** Distinct name words examined for one typed word; ample for a list, a cap for a pathological one. */
const MAX_GROUPS = 400
/** A multi-word query with at most this many matches is fetched whole and sorted here. */
const DIRECT_MAX = 300

class NameSearch {
  private readonly seen = new Set<number>()
  private readonly allowedJson: string | null

  constructor(
    private readonly st: Statements,
    allowed: Set<string> | null,
    /** Patients the clinic system no longer lists: still in the name index, never a hit. */
    private readonly gone: ReadonlySet<number>,
  ) {
    this.allowedJson = allowed ? JSON.stringify([...allowed]) : null
  }

  /** The best keys found so far in the tier being collected, to stop scans that cannot improve it. */
  private tier: { need: number; keys: string[]; docs: Set<number> } | null = null

  startTier(need: number): void {
    this.tier = { need, keys: [], docs: new Set() }
  }

  private beyondTier(key: string): boolean {
    const t = this.tier
    return !!t && t.keys.length >= t.need && key > (t.keys[t.need - 1] as string)
  }

  private note(doc: number, key: string): void {
    const t = this.tier
    if (!t || t.docs.has(doc)) return
    t.docs.add(doc)
    let i = t.keys.length
    while (i > 0 && (t.keys[i - 1] as string) > key) i--
    t.keys.splice(i, 0, key)
    if (t.keys.length > t.need) t.keys.length = t.need
  }

  private page(lo: string, hi: string, n: number): TermRow[] {
    return this.allowedJson === null
      ? this.st.terms.all(lo, hi, n)
      : this.st.termsIn.all(lo, hi, this.allowedJson, n)
  }

  /** Up to `need` unseen accepted docs with terms in [lo, hi), in term order. */
  private scan(
    lo: string,
    hi: string,
    need: number,
    keyAt: (term: string) => string,
    rank: number,
    accept?: (doc: number) => boolean,
  ): Candidate[] {
    const out: Candidate[] = []
    let from = lo
    let last: TermRow | null = null
    for (;;) {
      // Ask for little more than is still needed: most terms are accepted.
      const ask = Math.min(PAGE, need - out.length + 8)
      const rows = this.page(from, hi, ask)
      let progressed = false
      for (const r of rows) {
        if (last && (r.term < last.term || (r.term === last.term && r.doc <= last.doc))) continue
        progressed = true
        last = r
        if (this.gone.has(r.doc) || this.seen.has(r.doc) || out.some((c) => c.doc === r.doc)) continue
        const key = keyAt(r.term)
        // Keys rise through the range: past the tier's current worst, nothing more can place.
        if (this.beyondTier(key)) return out
        if (accept && !accept(r.doc)) continue
        out.push({ doc: r.doc, key, rank })
        this.note(r.doc, key)
        if (out.length >= need) return out
      }
      if (rows.length < ask || !progressed || !last) return out
      from = last.term
    }
  }

  /**
   * Calls `visit` with each distinct name word in namespace `ns` (`2` later surname words, `3`
   * given names) that starts with `word`, and the offset of the key after it in its terms.
   */
  private parts(ns: '2' | '3', word: string, visit: (part: string, keyAt: number) => void): void {
    let lo = `${ns}${word}`
    const hi = after(lo)
    for (let groups = 0; groups < MAX_GROUPS; groups++) {
      const first = this.st.terms.get(lo, hi, 1)
      if (!first) return
      const sep = first.term.indexOf('0', 1)
      if (sep < 0) {
        lo = `${first.term}\u0001`
        continue
      }
      const part = first.term.slice(0, sep)
      visit(part, sep + 1)
      lo = `${part}1`
    }
  }

  /** Surnames starting with `word`, alphabetical. */
  surnames(word: string, need: number, accept?: (doc: number) => boolean): Candidate[] {
    return this.scan(`1${word}`, after(`1${word}`), need, (t) => t.slice(1), RANK.surname, accept)
  }

  /**
   * Docs with a name word in `ns` starting with `word`. Terms are ordered by that name word first,
   * so each distinct one is its own alphabetical run; the best `need` of all runs are kept.
   */
  words(ns: '2' | '3', word: string, need: number, accept?: (doc: number) => boolean): Candidate[] {
    const rank = ns === '2' ? RANK.laterSurname : RANK.givenName
    const out: Candidate[] = []
    this.parts(ns, word, (part, keyAt) =>
      out.push(...this.scan(`${part}0`, `${part}1`, need, (t) => t.slice(keyAt), rank, accept)),
    )
    return best(out, need)
  }

  /**
   * Surname starting with `family` and another name word (given, or a later surname word) starting
   * with `other`: within each run of `other`'s name word the key starts with the surname, so this is
   * a dense range scan too ("smi jo" reads only Smiths called Jo…).
   */
  pairs(
    ns: '2' | '3',
    other: string,
    family: string,
    need: number,
    accept?: (doc: number) => boolean,
  ): Candidate[] {
    const out: Candidate[] = []
    this.parts(ns, other, (part, keyAt) => {
      const lo = `${part}0${family}`
      out.push(...this.scan(lo, after(lo), need, (t) => t.slice(keyAt), RANK.surname, accept))
    })
    return best(out, need)
  }

  take(list: Candidate[]): Candidate[] {
    for (const c of list) this.seen.add(c.doc)
    return list
  }
}

function best(list: Candidate[], n: number): Candidate[] {
  const unique = new Map<number, Candidate>()
  for (const c of list) {
    const had = unique.get(c.doc)
    if (!had || compare(c, had) < 0) unique.set(c.doc, c)
  }
  return [...unique.values()].sort(compare).slice(0, n)
}

function compare(a: Candidate, b: Candidate): number {
  return a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : a.doc - b.doc)
}

const familyEligible = (w: NameWord) => w.role !== 'given'
const givenEligible = (w: NameWord) => w.role !== 'family'

/** The tier a name match falls in, from the patient's own names (same folding as the index). */
function nameRank(row: Row, words: NameWord[]): number {
  const parts = nameParts(row.family_name)
  const compact = parts.join('')
  const family = words.filter(familyEligible).map((w) => w.word)
  if (family.some((w) => compact.startsWith(w))) return RANK.surname
  if (family.some((w) => parts.slice(1).some((p) => p.startsWith(w)))) return RANK.laterSurname
  return RANK.givenName
}

/** Whether every typed word starts a word (or the whole compacted name) in the role it may play. */
function matchesWords(row: Row, words: NameWord[]): boolean {
  const family = nameParts(row.family_name)
  const given = nameParts(row.given_name)
  family.push(family.join(''))
  given.push(given.join(''))
  return words.every(
    (w) =>
      (w.role !== 'given' && family.some((p) => p.startsWith(w.word))) ||
      (w.role !== 'family' && given.some((p) => p.startsWith(w.word))),
  )
}

/** FTS5 query: every word a prefix of a name word, in the columns its role allows. */
function matchExpression(words: NameWord[]): string {
  return words
    .map((w) => {
      const cols = w.role === 'family' ? 'family' : w.role === 'given' ? 'given' : '{family given}'
      return `${cols} : "${w.word}"*`
    })
    .join(' AND ')
}

function byNames(
  st: Statements,
  words: NameWord[],
  allowed: Set<string> | null,
  gone: ReadonlySet<number>,
  limit: number,
): Candidate[] {
  const search = new NameSearch(st, allowed, gone)
  const found: Candidate[] = []
  /** Collects one ranking tier: its scans share a bound, so none reads past what can still place. */
  const tier = (scans: (need: number) => Candidate[]) => {
    const need = limit - found.length
    if (need <= 0) return
    search.startTier(need)
    found.push(...search.take(best(scans(need), need)))
  }
  const family = words.filter(familyEligible)
  const given = words.filter(givenEligible)

  if (words.length === 1) {
    tier((need) => family.flatMap((w) => search.surnames(w.word, need)))
    tier((need) => family.flatMap((w) => search.words('2', w.word, need)))
    tier((need) => given.flatMap((w) => search.words('3', w.word, need)))
    return found
  }

  // With three or more words, the full match set comes first: one selective word makes it small.
  const match = matchExpression(words)
  let candidates: Set<number> | null = null
  if (words.length > 2) {
    candidates = new Set(st.nameMatches.all(match).map((r) => r.rowid))
    if (candidates.size <= DIRECT_MAX) return direct(st, candidates, words, allowed, limit)
  }
  const inSet = candidates ? (doc: number) => (candidates as Set<number>).has(doc) : undefined

  // Surname matches first, as dense pair scans.
  tier((need) =>
    family.flatMap((f) =>
      words.flatMap((o) => [
        ...(o !== f && o.role !== 'family' ? search.pairs('3', o.word, f.word, need, inSet) : []),
        ...(o !== f && o.role !== 'given' ? search.pairs('2', o.word, f.word, need, inSet) : []),
      ]),
    ),
  )
  if (found.length >= limit) return found

  // Fewer surname matches than the limit: the full match set says what else there is.
  const rest = candidates ?? new Set(st.nameMatches.all(match).map((r) => r.rowid))
  for (const c of found) rest.delete(c.doc)
  if (rest.size <= DIRECT_MAX) {
    tier((need) => direct(st, rest, words, allowed, need))
    return found
  }
  const accept = (doc: number) => rest.has(doc)
  tier((need) => family.flatMap((w) => search.surnames(w.word, need, accept)))
  tier((need) => family.flatMap((w) => search.words('2', w.word, need, accept)))
  tier((need) => given.flatMap((w) => search.words('3', w.word, need, accept)))
  return found
}

/** A small match set: fetch it whole and rank it here. */
function direct(
  st: Statements,
  docs: Set<number>,
  words: NameWord[],
  allowed: Set<string> | null,
  limit: number,
): Candidate[] {
  const out: Candidate[] = []
  for (const row of st.byRowids.all(JSON.stringify([...docs]))) {
    if (allowed && !allowed.has(row.connection_id)) continue
    out.push({
      doc: row.rid,
      row,
      rank: nameRank(row, words),
      key: sortKey(row.family_name, row.given_name, row.birth_date),
    })
  }
  return best(out, limit)
}

function hit(row: Row, matchedOn: MatchedOn, rank: number): PatientHit {
  return {
    id: row.id,
    connectionId: row.connection_id,
    ...(row.ref !== null ? { ref: row.ref } : {}),
    givenName: row.given_name,
    familyName: row.family_name,
    birthDate: row.birth_date,
    ...(row.nhs_number !== null ? { nhsNumber: row.nhs_number } : {}),
    ...(row.phone !== null ? { phone: row.phone } : {}),
    ...(row.postcode !== null ? { postcode: row.postcode } : {}),
    matchedOn,
    rank,
  }
}

function byIdentifiers(
  st: Statements,
  q: Extract<ParsedQuery, { kind: 'person' }>,
  birthDate: string | undefined,
  allowed: Set<string> | null,
  rank: number,
): Candidate[] {
  const rows = birthDate ? st.byBirthDate.all(birthDate) : st.byPostcode.all(q.postcode as string)
  const out: Candidate[] = []
  for (const row of rows) {
    if (allowed && !allowed.has(row.connection_id)) continue
    if (
      birthDate &&
      q.postcode &&
      nameParts(row.postcode ?? '')
        .join('')
        .toUpperCase() !== q.postcode
    )
      continue
    if (q.names.length && !matchesWords(row, q.names)) continue
    // With a name, the name's tier orders hits that share the identifier.
    const sub = q.names.length ? nameRank(row, q.names) - RANK.surname : 0
    out.push({
      doc: row.rid,
      row,
      rank: rank + sub / 10,
      key: sortKey(row.family_name, row.given_name, row.birth_date),
    })
  }
  return out.sort(compare)
}

/** Exact results fewer than this make search look for names one typing slip away too. */
const FEW = 3
/** Corrections tried for one typed word, and alternative queries run in all. */
const MAX_CORRECTIONS = 4
const MAX_ALTERNATIVES = 6
const LETTERS = 'abcdefghijklmnopqrstuvwxyz'

/**
 * Every word one typing slip from `word` (Damerau–Levenshtein distance 1), likeliest first:
 * swapped neighbours ("kuar" → "kaur"), a letter too many, a wrong letter, a missing letter.
 */
export function oneSlipAway(word: string): string[] {
  const out = new Set<string>()
  for (let i = 0; i + 1 < word.length; i++)
    out.add(word.slice(0, i) + word.charAt(i + 1) + word.charAt(i) + word.slice(i + 2))
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1))
  for (let i = 0; i < word.length; i++)
    for (const c of LETTERS) out.add(word.slice(0, i) + c + word.slice(i + 1))
  for (let i = 0; i <= word.length; i++)
    for (const c of LETTERS) out.add(word.slice(0, i) + c + word.slice(i))
  out.delete(word)
  return [...out].filter((w) => w.length >= 2)
}

/** The index namespaces a typed word may match in: `1` surname, `2` later surname word, `3` given name. */
const namespaces = (w: NameWord): ('1' | '2' | '3')[] =>
  w.role === 'family' ? ['1', '2'] : w.role === 'given' ? ['3'] : ['1', '2', '3']

/** Whether some name word in the index starts with `w` (in a role it may play). */
const hasPrefix = (st: Statements, w: NameWord) =>
  namespaces(w).some((ns) => !!st.terms.get(`${ns}${w.word}`, after(`${ns}${w.word}`), 1))

/** Whole name words patients have one slip from `w`, best guess first (all near-misses, checked in memory). */
function corrections(words: ReadonlySet<string>, w: NameWord): string[] {
  const out: string[] = []
  for (const v of oneSlipAway(w.word)) {
    if (namespaces(w).some((ns) => words.has(`${ns}${v}`))) out.push(v)
    if (out.length >= MAX_CORRECTIONS) break
  }
  return out
}

/**
 * Alternative readings of the typed names with misspelt words corrected: a word that starts no
 * name in the index is always corrected; with few exact results, so is any word of four or more
 * letters (a real but rare name may be a slip for a common one).
 */
function alternatives(
  st: Statements,
  /** Read only when a word needs correcting. */
  words: () => ReadonlySet<string>,
  names: NameWord[],
  fewExact: boolean,
): NameWord[][] {
  const fixes = names.map((w) => {
    if (w.word.length < 3) return { w, must: false, list: [] as string[] }
    const must = !hasPrefix(st, w)
    if (!must && !(fewExact && w.word.length >= 4)) return { w, must, list: [] as string[] }
    return { w, must, list: corrections(words(), w) }
  })
  // A word that starts no name and has no correction cannot match anything.
  if (fixes.some((f) => f.must && f.list.length === 0)) return []
  const base = fixes.map((f) => (f.must ? { ...f.w, word: f.list[0] as string } : f.w))
  const out: NameWord[][] = []
  if (fixes.some((f) => f.must)) out.push(base)
  fixes.forEach((f, i) => {
    for (const c of f.list.slice(f.must ? 1 : 0))
      out.push(base.map((b, j) => (j === i ? { ...b, word: c } : b)))
  })
  return out.slice(0, MAX_ALTERNATIVES)
}

/** The typed text with each corrected word replaced, capitalised: "kuar 4/10/2014" → "Kaur 4/10/2014". */
function correctedText(text: string, from: NameWord[], to: NameWord[]): string {
  let out = text
  from.forEach((w, i) => {
    const c = to[i]?.word
    if (!c || c === w.word) return
    const fixed = c.charAt(0).toUpperCase() + c.slice(1)
    out = out.replace(w.typed, fixed)
  })
  return out
}

/** Searches the local cache as the receptionist types. */
export function searchPatients(db: Db, req: SearchRequest): SearchResponse {
  const shown = Math.max(1, Math.min(req.limit ?? 50, 500))
  const upTo = Math.max(shown, Math.min(req.countUpTo ?? shown, 500))
  const { counted, ...response } = searchUpTo(db, req, shown, upTo)
  return {
    ...response,
    results: response.results.slice(0, shown),
    ...(req.countUpTo !== undefined ? { matched: Math.min(counted ?? response.results.length, upTo) } : {}),
  }
}

/**
 * The search itself: matches up to `limit`, in order. The name path reads rows for the first
 * `shown` only and says how many it found in `counted`; the others return every match they read.
 */
function searchUpTo(
  db: Db,
  req: SearchRequest,
  shown: number,
  limit: number,
): SearchResponse & { counted?: number } {
  const st = prepared(db)
  const q = parseQuery(req.text, {
    ...(req.today ? { today: req.today } : {}),
    ...(req.region ? { region: req.region } : {}),
  })
  const interpretedAs = describeQuery(q)
  const problem = problemWith(q)
  if (problem) return { results: [], interpretedAs, problem }
  if (q.kind === 'empty' || q.kind === 'incomplete') return { results: [], interpretedAs }

  const connections = st.connections.all()
  const wanted = req.connectionIds ? new Set(req.connectionIds) : null
  const traceOnly = connections
    .filter((c) => searchCapability(c.vendor).kind === 'trace-only' && (!wanted || wanted.has(c.id)))
    .map((c) => c.id)
  let allowed: Set<string> | null = wanted
  if (traceOnly.length) {
    allowed = new Set(
      (wanted ? [...wanted] : connections.map((c) => c.id)).filter((id) => !traceOnly.includes(id)),
    )
  }
  // A filter that leaves out only empty connections is no filter: skip its per-row check.
  const keep = allowed
  if (keep && keep.size && connections.every((c) => keep.has(c.id) || !st.hasPatients.get(c.id)?.has))
    allowed = null
  const extra = traceOnly.length ? { traceOnly } : {}
  if (allowed && allowed.size === 0) {
    return { results: [], interpretedAs, problem: TRACE_ONLY_EXPLANATION, ...extra }
  }

  // By the index's keys first: hits in key order then lie on a few pages (migration 12), where by
  // rowid each is a page of its own to read again after another connection's commit. A name the
  // copy's key does not fold (another script) is read by rowid.
  const fetchRows = (list: Candidate[]) => {
    const unread = list.filter((c) => !c.row)
    const copied = new Map<number, Row>()
    if (unread.length)
      for (const row of st.byKeys.all(JSON.stringify(unread.map((c) => [c.key, c.doc]))))
        copied.set(row.rid, row)
    return list.flatMap((c) => {
      const row = c.row ?? copied.get(c.doc) ?? st.byRowid.get(c.doc)
      return row ? [{ row, rank: c.rank }] : []
    })
  }
  const fromRows = (rows: Row[], matchedOn: MatchedOn, rank: number) =>
    rows
      .filter((r) => !allowed || allowed.has(r.connection_id))
      .map((row) => ({
        doc: row.rid,
        row,
        rank,
        key: sortKey(row.family_name, row.given_name, row.birth_date),
      }))
      .sort(compare)
      .slice(0, limit)
      .map((c) => hit(c.row, matchedOn, rank))

  switch (q.kind) {
    case 'nhs-number':
      return {
        results: fromRows(st.byNhs.all(q.nhsNumber), 'nhs-number', RANK.nhsNumber),
        interpretedAs,
        ...extra,
      }
    case 'phone':
      return { results: fromRows(st.byPhone.all(q.phone), 'phone', RANK.phone), interpretedAs, ...extra }
    case 'person':
      break
    default:
      return { results: [], interpretedAs, ...extra }
  }

  /**
   * With few exact results, names one slip away, ranked below every exact one; the correction
   * behind the first of them is offered as "Did you mean …?".
   */
  const similar = (
    /** The exact hits shown, and every exact match (which similar names never repeat). */
    exact: PatientHit[],
    exactDocs: ReadonlySet<number>,
    run: (names: NameWord[]) => Candidate[],
  ): SearchResponse & { counted?: number } => {
    const response = { results: exact, interpretedAs, ...extra }
    if (exactDocs.size >= FEW || exactDocs.size >= limit || q.names.length === 0) return response
    const seen = new Set(exactDocs)
    const more: { c: Candidate; alt: NameWord[] }[] = []
    for (const alt of alternatives(st, () => nameWords(db), q.names, true)) {
      for (const c of run(alt)) {
        if (seen.has(c.doc)) continue
        seen.add(c.doc)
        more.push({ c: { ...c, rank: RANK.similarName }, alt })
      }
    }
    if (!more.length) return response
    // Ordered by the index's keys; rows are read only for the similar names that will be shown.
    more.sort((a, b) => compare(a.c, b.c))
    const listed = more.slice(0, limit - exactDocs.size)
    const first = listed[0] as (typeof listed)[number]
    const rows = fetchRows(listed.slice(0, Math.max(0, shown - exactDocs.size)).map((m) => m.c))
    return {
      ...response,
      results: [...exact, ...rows.map((r) => hit(r.row, 'similar-name', RANK.similarName))],
      didYouMean: correctedText(req.text.trim(), q.names, first.alt),
      counted: exactDocs.size + listed.length,
    }
  }

  if (!q.birthDate && !q.postcode) {
    const gone = goneRowids(db)
    const candidates = byNames(st, q.names, allowed, gone, limit)
    // Rows for the hits shown only: the rest are counted (and kept out of the similar names) by doc.
    const found = fetchRows(candidates.slice(0, shown))
    const exact = found.map((f) => hit(f.row, 'name', Math.floor(f.rank)))
    const response = similar(exact, new Set(candidates.map((c) => c.doc)), (names) =>
      byNames(st, names, allowed, gone, limit),
    )
    return { counted: candidates.length, ...response }
  }

  const matchedOn: MatchedOn = q.birthDate ? 'birth-date' : 'postcode'
  let found = byIdentifiers(st, q, q.birthDate, allowed, RANK.identifier)
  if (found.length === 0 && q.birthDate) {
    // The SUI cascade's last step: a date typed month first by mistake.
    const swapped = swapDayMonth(q.birthDate)
    if (swapped) {
      found = byIdentifiers(st, q, swapped, allowed, RANK.swappedDate)
      if (found.length) {
        const [y, m, d] = swapped.split('-')
        interpretedAs.push(`No exact match; showing date of birth ${d}/${m}/${y} (day and month swapped)`)
      }
    }
  }
  const kept = found.slice(0, limit)
  const exact = kept.map((c) => hit(c.row as Row, matchedOn, Math.floor(c.rank)))
  if (!q.names.length) return { results: exact, interpretedAs, ...extra }
  // The identifier holds; a name typed beside it may be misspelt ("kuar 4/10/2014").
  return similar(exact, new Set(kept.map((c) => c.doc)), (names) =>
    byIdentifiers(st, { ...q, names }, q.birthDate, allowed, RANK.identifier),
  )
}
