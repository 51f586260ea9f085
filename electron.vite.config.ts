import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import type { Plugin } from 'vite'
import { rendererConfig } from './vite.renderer.config'

const here = dirname(fileURLToPath(import.meta.url))

/** The demo clinic's GraphQL simulators read their SDL at start: ship it beside the main bundle. */
const simulatorSchemas = (): Plugin => ({
  name: 'frontdesk-simulator-schemas',
  generateBundle() {
    for (const vendor of ['semble', 'healthie']) {
      this.emitFile({
        type: 'asset',
        fileName: `sandbox/${vendor}/schema.graphql`,
        source: readFileSync(resolve(here, `src/sandbox/${vendor}/schema.graphql`), 'utf8'),
      })
    }
  },
})

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin(), simulatorSchemas()],
    build: {
      rollupOptions: {
        input: { index: resolve(here, 'src/main/index.ts') },
        // The demo clinic is its own chunk (loaded by import() for the demo profile only), kept
        // beside index.js so the simulators find their schema.graphql files as the main bundle does.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin({ exclude: ['zod'] })],
    build: {
      // A sandboxed preload cannot require() other files: bundle it into one CommonJS file.
      rollupOptions: {
        input: { index: resolve(here, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: rendererConfig,
})
