// ESLint over the frontend sources: typescript-eslint's recommended rules and React's hooks rules.
// Type checking stays with tsc; this catches what the compiler cannot (hooks misuse, stale deps).
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig([
  { ignores: ["static/dist/**"] },
  {
    files: ["static/src/**/*.{ts,tsx}"],
    extends: [tseslint.configs.recommended, reactHooks.configs.flat.recommended],
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
]);
