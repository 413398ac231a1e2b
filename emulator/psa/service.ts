import type { Call } from "../http/call";
import type { Reply } from "../http/reply";
import { decodeSegment, splitPath } from "../http/router";
import { handleConnectWise } from "./connectwise/routes";
import { handleHalo } from "./halo/routes";
import type { PsaStore } from "./store";

export type PsaSurface = "halo" | "connectwise";

/**
 * The emulated PSAs, by path on the emulator's port: HaloPSA instances at `/halo/{instance}` (the instance's base
 * URL, with `/auth/token` and `/api/...` below it) and ConnectWise PSA sites at `/connectwise/{instance}` (with
 * `/v4_6_release/apis/3.0/...` below).
 */
export class PsaService {
  constructor(private readonly store: PsaStore) {}

  static surfaceOf(firstSegment: string): PsaSurface | undefined {
    const lower = firstSegment.toLowerCase();
    return lower === "halo" || lower === "connectwise" ? lower : undefined;
  }

  /** The instance name a path addresses (lower-case), for the request log. */
  static instanceOf(call: Call): string | undefined {
    const segment = splitPath(call.url.pathname)[1];
    return segment === undefined ? undefined : decodeSegment(segment).toLowerCase();
  }

  handle(surface: PsaSurface, call: Call): Reply {
    const name = PsaService.instanceOf(call) ?? "";
    const rest = splitPath(call.url.pathname).slice(2).map((s) => `/${s}`).join("");
    return surface === "halo" ? handleHalo(this.store.halo.get(name), call, rest) : handleConnectWise(this.store.connectwise.get(name), call, rest);
  }
}
