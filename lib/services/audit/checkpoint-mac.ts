import { createHmac, timingSafeEqual } from "node:crypto";
import { serverSubkey } from "@/lib/crypto/server-key";
import { GENESIS_HASH } from "./canonical";

const LABEL = "stint audit checkpoint v1";

/** What a checkpoint's seal covers: its MSP, its place among the MSP's checkpoints, the head it saw, the seal before it. */
export type CheckpointFields = { mspId: string; n: number; seq: number; hash: string; sealedAt: Date; prevMac: string };

/** The seal before the first checkpoint. */
export const FIRST_PREV_MAC = GENESIS_HASH;

export function checkpointMac(fields: CheckpointFields): string {
  const body = [LABEL, fields.mspId, fields.n, fields.seq, fields.hash, fields.sealedAt.toISOString(), fields.prevMac].join("\n");
  return createHmac("sha256", serverSubkey(LABEL)).update(body, "utf8").digest("hex");
}

export function checkpointMacMatches(fields: CheckpointFields, mac: string): boolean {
  const expected = Buffer.from(checkpointMac(fields), "hex");
  const given = Buffer.from(mac, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
