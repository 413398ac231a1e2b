import { ConnectWiseClient } from "./connectwise-client";
import { HaloPsaClient } from "./halo-client";
import type { PsaSettings } from "./settings";
import type { PsaClient } from "./types";

/** The client for a PSA connection's settings (validated with `psaSettingsSchema`). */
export function psaClientFor(settings: PsaSettings, options: { timeoutMs?: number } = {}): PsaClient {
  return settings.kind === "halopsa" ? new HaloPsaClient(settings, options.timeoutMs) : new ConnectWiseClient(settings, options.timeoutMs);
}
