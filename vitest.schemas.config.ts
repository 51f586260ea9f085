import { defineConfig } from 'vitest/config'

/**
 * Checks against the vendors' published schemas, which live beside the project (FRONTDESK_SCHEMAS_DIR),
 * never inside it: run with `npm run test:schemas`.
 */
export default defineConfig({
  test: {
    name: 'schemas',
    include: ['test/schemas/**/*.test.ts'],
    environment: 'node',
  },
})
