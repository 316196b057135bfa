/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from 'tailwindcss';
import autoprefixer from 'autoprefixer';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./app', import.meta.url));
const outDir = fileURLToPath(new URL('./target/web-dist', import.meta.url));

// The SPA lives in app/; the Maven build packages target/web-dist as classpath resources under web/.
export default defineConfig({
  root,
  plugins: [react()],
  css: {
    postcss: {
      plugins: [tailwindcss({ config: fileURLToPath(new URL('./tailwind.config.js', import.meta.url)) }), autoprefixer()],
    },
  },
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
  },
  server: {
    port: 5173,
    proxy: {
      // dev: the launcher (one process) serves /api on 8080
      '/api': process.env.STOREFRONT_API ?? 'http://127.0.0.1:8080',
    },
  },
  test: {
    root,
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
  },
});
