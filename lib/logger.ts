import pino from "pino";
import { env } from "@/lib/env";

// Secrets never reach the log: any of these keys, at any of these depths, is replaced.
const secretKeys = [
  "password", "passwd", "secret", "clientSecret", "token", "accessToken", "refreshToken",
  "authorization", "cookie", "set-cookie", "credential", "challenge", "apiKey",
];
const redactPaths = secretKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `headers["${k}"]`, `req.headers["${k}"]`]);

export function createLogger(destination?: pino.DestinationStream) {
  return pino(
    {
      level: env.LOG_LEVEL,
      base: { service: env.STINT_PROCESS },
      redact: { paths: redactPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export const logger = createLogger();
