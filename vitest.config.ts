import { defineConfig } from "vitest/config";
import path from "node:path";

// Two projects: fast pure units, and integration suites that talk to the real Postgres, Redis
// and the Entra emulator of this machine (named *.int.test.ts).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          setupFiles: ["./test/extension-globals.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**", "e2e/**", ".next/**", "extension/.output/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**", "e2e/**", ".next/**", "extension/**"],
          globalSetup: ["./test/global-setup.ts", "./test/emulator-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
