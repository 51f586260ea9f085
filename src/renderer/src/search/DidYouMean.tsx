import type { PatientSearchResult } from '../../../shared/contract'

/**
 * "Did you mean Kaur?" under a search whose results include names one typing slip from what was
 * typed; choosing it searches for the corrected text. Exact matches stay above the similar ones.
 */
export function DidYouMean(props: {
  result: PatientSearchResult
  typed: string
  onChoose(text: string): void
}) {
  const suggestion = props.result.didYouMean
  if (!suggestion) return null
  const exact = props.result.results.filter((h) => h.matchedOn !== 'similar-name').length
  return (
    <p className="search-did-you-mean" data-testid="did-you-mean">
      {exact === 0
        ? `No exact match for “${props.typed.trim()}”. `
        : 'Similar names are listed after the exact matches. '}
      Did you mean{' '}
      <button
        type="button"
        className="link-button inline-link"
        // Keeps focus in the search box, as the rest of the popup does.
        onMouseDown={(e) => {
          e.preventDefault()
          props.onChoose(suggestion)
        }}
        onClick={() => props.onChoose(suggestion)}
      >
        {suggestion}
      </button>
      ?
    </p>
  )
}
