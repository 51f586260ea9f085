import { QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { api } from './api/client'
import { queryClient } from './data/query-client'
import { syncClock } from './lib/clock'
import './styles/app.css'

// The first screen already needs "today" in the clinic's clock, so take it from main before rendering.
void api.app
  .info({})
  .then((r) => {
    if (r.ok) syncClock(r.value.now)
  })
  .catch(() => undefined)
  .finally(() => {
    createRoot(document.getElementById('root')!).render(
      <StrictMode>
        <QueryClientProvider client={queryClient}>
          <App />
        </QueryClientProvider>
      </StrictMode>,
    )
  })
