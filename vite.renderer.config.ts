/**
 * The renderer's build, declared once: electron-vite uses it for the desktop bundle, and the
 * browser host builds it alone with plain Vite where the electron package is absent.
 */
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type UserConfig } from 'vite'

const here = dirname(fileURLToPath(import.meta.url))

export const rendererConfig: UserConfig = {
  root: resolve(here, 'src/renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(here, 'out/renderer'),
    emptyOutDir: true,
    rollupOptions: { input: { index: resolve(here, 'src/renderer/index.html') } },
  },
}

export default defineConfig(rendererConfig)
