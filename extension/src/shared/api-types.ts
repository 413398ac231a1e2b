import type { OutputOf } from "@/lib/api/call-types";

/** The /api/v1 answers the extension reads, typed by the server's operation registry. */
export type PairingStart = OutputOf<"startExtensionPairing">;
export type PairingPoll = OutputOf<"pollExtensionPairing">;
export type Grant = OutputOf<"listGrants">["items"][number];
export type LaunchTicket = OutputOf<"issueLaunchTicket">;
export type LaunchCredential = OutputOf<"redeemLaunchTicket">;

/** What the popup may see of a pairing in progress: never the device code. */
export type PairingView = { userCode: string; verificationUri: string; expiresAt: string };
