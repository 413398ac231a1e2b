import tseslint from "typescript-eslint";

const dbImports = {
  paths: [{ name: "drizzle-orm", message: "Database access lives in lib/services, jobs and db only." }],
  patterns: [
    { group: ["@/db", "@/db/*"], message: "Database access lives in lib/services, jobs and db only." },
    { group: ["drizzle-orm/*", "postgres"], message: "Database access lives in lib/services, jobs and db only." },
  ],
};

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", ".data/**", "extension/.output/**", "test-results/**", "next-env.d.ts"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  // Layering (docs/architecture.md, "Layers"): only services, jobs and db touch the database; the services
  // are where every statement is scoped to the caller's MSP.
  {
    files: ["app/**", "components/**", "lib/**", "extension/**"],
    ignores: ["lib/services/**", "lib/queue/**"],
    rules: { "no-restricted-imports": ["error", dbImports] },
  },
  // The extension talks to Stint only over /api/v1, as any client could: of the server's code it takes the
  // API's types (erased at build), the pure URL builder and the pure time formatter (so its times read as the
  // console's), nothing else.
  {
    files: ["extension/src/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^(@/(?!lib/api/operation$|lib/time/format-moment$)|\\.\\./\\.\\./\\.\\./)", allowTypeImports: true, message: "The extension talks to Stint only through /api/v1." },
          ],
        },
      ],
    },
  },
  // The enum vocabularies are the bottom layer: db/schema and everything above share them, so they import
  // nothing but each other; the schema imports nothing else of the application.
  {
    files: ["lib/vocabulary/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^(?!\\./)", message: "lib/vocabulary imports only other vocabulary files." }] }],
    },
  },
  {
    files: ["db/schema/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^(@/(?!lib/vocabulary/)|\\.\\./)", message: "db/schema imports from the application only lib/vocabulary." }] },
      ],
    },
  },
  // lib/env.ts is the only reader of process.env in product code.
  {
    files: ["app/**", "components/**", "lib/**", "db/**", "jobs/**"],
    ignores: ["lib/env.ts", "**/*.test.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through lib/env.ts." }],
    },
  },
);
