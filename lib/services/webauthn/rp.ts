import { appOrigin, rpId } from "@/lib/env";

/** Relying-party settings, all derived from APP_URL. */
export const rp = {
  name: "Stint",
  id: rpId,
  origin: appOrigin,
  /** Five minutes, the low end of what WebAuthn recommends (300–600 s); the stored challenge lives as long. */
  timeoutMs: 300_000,
  algorithms: [-8, -7, -257],
} as const;
