import { readdirSync } from "node:fs";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

// The dependency rule (ARCHITECTURE.md, "Layers"): app -> components -> server -> lib, never
// back; inside src/server, kernel folders are shared by everyone and depend on no domain, and a
// domain uses another domain only through its public entry (src/server/<domain>/index.ts).

/** Shared plumbing any server code may import file by file; it must not depend on a domain. */
const KERNEL = ["actions", "audit", "auth", "config", "crypto", "db", "docker", "errors", "log.ts", "mail", "rate-limit", "site", "testing", "worker"];
/** Domains that use each other's files directly: billing is funding's Stripe side. */
const PARTNERS = { billing: ["funding"], funding: ["billing"] };
const SERVER_FOLDERS = readdirSync(new URL("./src/server/", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const DOMAINS = SERVER_FOLDERS.filter((name) => !KERNEL.includes(name));

const TESTS = ["src/**/*.test.ts", "src/**/testing/**"];
const CODE = "{ts,tsx}";
const ban = (group, message) => ({ group, message });

const layer = {
  app: ban(["@/app", "@/app/**"], "Only src/app imports src/app: move what is shared into src/components, src/server or src/lib."),
  components: ban(["@/components", "@/components/**"], "src/server and src/lib never import components: move shared code into src/lib."),
  server: ban(["@/server", "@/server/**"], "src/lib is neutral: it imports nothing from src/server."),
  entries: ban(["@/worker", "@/worker/**", "@/cli", "@/cli/**"], "The worker and the CLI are entry points: nothing imports them."),
  climb: ban(["../../*"], "Import another folder by its @/ path, not by climbing out of this one."),
};

/** What a file in src/server/<folder>/ may not import, besides the layer rule. */
function serverBans(folder) {
  const others = DOMAINS.filter((domain) => domain !== folder && !(PARTNERS[folder] ?? []).includes(domain));
  if (KERNEL.includes(folder)) {
    return [ban(others.flatMap((d) => [`@/server/${d}`, `@/server/${d}/**`]), "Kernel folders (auth, db, config, ...) depend on no domain: move the shared piece down into the kernel or src/lib.")];
  }
  return [ban(others.map((d) => `@/server/${d}/**`), "Use another domain only through its public entry (`@/server/<domain>`, its index.ts); add what you need there.")];
}

const restrict = (files, patterns, ignores = []) => ({ files, ignores, rules: { "no-restricted-imports": ["error", { patterns }] } });

const layerRules = [
  restrict([`src/lib/**/*.${CODE}`], [layer.app, layer.components, layer.server, layer.entries, ban(["../*"], "src/lib is flat: import a sibling as ./name.")]),
  restrict([`src/components/**/*.${CODE}`], [layer.app, layer.entries, layer.climb]),
  restrict([`src/app/**/*.${CODE}`], [layer.entries]),
  restrict([`src/worker/**/*.${CODE}`, `src/cli/**/*.${CODE}`, `src/testbed/**/*.${CODE}`], [layer.app, layer.components]),
  restrict([`src/server/*.${CODE}`], [layer.app, layer.components, layer.entries]),
  ...SERVER_FOLDERS.map((folder) =>
    restrict([`src/server/${folder}/**/*.${CODE}`], [layer.app, layer.components, layer.entries, layer.climb, ...serverBans(folder)], TESTS),
  ),
  // Tests and their helpers may reach into any domain to set the scene; they point one way like
  // the code they test: a route's or a page's own test lives beside it in src/app.
  restrict([`src/server/**/*.test.ts`, `src/server/**/testing/**/*.${CODE}`], [
    ban(["@/app", "@/app/**"], "Server tests call the server function a route hands requests to; a route's own test lives beside the route in src/app."),
    layer.components,
    layer.entries,
  ]),
];

const config = [
  ...nextVitals,
  ...nextTs,
  // CommonJS entry points that run inside test-bed images (e.g. the did:plc directory).
  { files: ["**/*.cjs"], rules: { "@typescript-eslint/no-require-imports": "off" } },
  { ignores: [".next/**", "src/generated/**", ".hearth/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    files: [`src/**/*.${CODE}`],
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/extensions": [".ts", ".tsx", ".js", ".mjs"],
    },
    rules: { "import-x/no-cycle": "error" },
  },
  ...layerRules,
];

export default config;
