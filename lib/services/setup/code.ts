import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "@/lib/errors";

const normalise = (code: string) => code.replace(/[\s-]/g, "").toUpperCase();
const digestOf = (code: string) => createHash("sha256").update(normalise(code)).digest();

/**
 * First-run setup is open to whoever holds the setup code (SETUP_CODE; `npm start` makes one, prints it
 * and keeps it in .data/setup-code): being first on an exposed port is not enough to become owner.
 * Compared in constant time over digests, so neither the code nor its length leaks through timing. Case,
 * spaces and dashes do not matter. Without a configured code, setup stays locked.
 */
export function requireSetupCode(given: string, expected: string | undefined): void {
  if (!expected) {
    throw new AppError("forbidden", "Setup is locked: no setup code is configured. Start Stint with npm start, which prints one, or set SETUP_CODE.");
  }
  if (!timingSafeEqual(digestOf(given), digestOf(expected))) {
    throw new AppError("forbidden", "That setup code is not right. It is printed by npm start in its terminal, and kept in .data/setup-code.", {
      field: "setupCode",
    });
  }
}
