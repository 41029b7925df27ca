/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// Built into static/dist and served by Django through django-vite's manifest reader.
export default defineConfig({
  base: "/static/dist/",
  oxc: { jsx: { runtime: "automatic" } },
  build: {
    outDir: "static/dist",
    emptyOutDir: true,
    manifest: "manifest.json",
    sourcemap: true,
    rollupOptions: { input: { editor: "static/src/pages/editor.tsx", execution: "static/src/pages/execution.tsx", functions: "static/src/pages/functions.ts" } },
  },
  worker: { format: "es" },
  test: {
    include: ["static/src/**/*.test.ts"],
    environment: "node",
    testTimeout: 60000,
  },
});
