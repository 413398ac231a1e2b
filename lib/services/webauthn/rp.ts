import { appOrigin, rpId } from "@/lib/env";

/** Relying-party settings, all derived from APP_URL. */
export const rp = {
  name: "Stint",
  id: rpId,
  origin: appOrigin,
  /** Spec §15.1 recommends 300–600 s; the stored challenge lives as long. */
  timeoutMs: 300_000,
  algorithms: [-8, -7, -257],
} as const;
