import { build } from "esbuild";
import { describe, expect, it } from "vitest";

describe("the operation registry", () => {
  it("bundles for the browser: the console's forms ship its schemas, so it reaches no server-only module", async () => {
    const result = await build({
      entryPoints: ["lib/api/operations/index.ts"],
      bundle: true,
      write: false,
      platform: "browser",
      format: "esm",
      logLevel: "silent",
      tsconfig: "tsconfig.json",
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((f) => /(^|\/)(db|jobs)\/|lib\/services\/(?!.*schemas\.ts$)|server-only|node_modules\/(postgres|drizzle-orm|bullmq|ioredis)\//.test(f))).toEqual([]);
  });
});
