"use client";

import { z } from "zod";

// The console's CSP allows no eval: in the browser zod must not compile parsers with it, nor probe for it
// (a probe, though caught, is reported as a CSP violation).
if (typeof window !== "undefined") z.config({ jitless: true });

/** Rendered once in the root layout so the setting holds before any form or client call parses. */
export function ZodWithoutEval() {
  return null;
}
