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
    rollupOptions: {
      input: { editor: "static/src/pages/editor.tsx", execution: "static/src/pages/execution.tsx", functions: "static/src/pages/functions.ts", run: "static/src/pages/run.tsx", nav: "static/src/pages/nav.ts", deploy: "static/src/pages/deploy.tsx" },
      // Libraries in chunks of their own: they change less often than our code, so a deploy leaves
      // them cached, and the browser fetches them in parallel. CodeMirror's core is shared by the
      // code view (lazy) and the functions page; each language mode stays with its user.
      output: {
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: "xyflow", test: /node_modules[\\/](@xyflow|d3-[a-z]+|classcat|zustand)[\\/]/ },
            { name: "codemirror", test: /node_modules[\\/](@codemirror[\\/](?!lang-)|@lezer[\\/](common|lr|highlight)[\\/]|codemirror|style-mod|w3c-keyname|crelt|@marijn)/ },
          ],
        },
      },
    },
  },
  worker: { format: "es" },
  test: {
    include: ["static/src/**/*.test.ts"],
    environment: "node",
    testTimeout: 60000,
  },
});
