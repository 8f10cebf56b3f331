import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  // CommonJS entry points that run inside test-bed images (e.g. the did:plc directory).
  { files: ["**/*.cjs"], rules: { "@typescript-eslint/no-require-imports": "off" } },
  { ignores: [".next/**", "src/generated/**", ".hearth/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
];

export default config;
