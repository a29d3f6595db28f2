import { defineConfig } from 'vite';

/** The API the development server forwards to; `memelab start` serves the built page itself. */
const API_ORIGIN = process.env.MEMELAB_API_ORIGIN ?? 'http://localhost:8080';

export default defineConfig({
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': { target: API_ORIGIN, changeOrigin: true },
      '/m': { target: API_ORIGIN, changeOrigin: true },
      '/images': { target: API_ORIGIN, changeOrigin: true },
    },
  },
});
