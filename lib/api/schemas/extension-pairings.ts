import { z } from "zod";

const time = z.iso.datetime({ offset: true });

/** A waiting extension the member typed the code of, with what the console shows before they answer. */
export const pendingPairingOutput = z.object({
  id: z.string(),
  userCode: z.string(),
  deviceLabel: z.string().nullable(),
  browser: z.string(),
  userAgent: z.string().nullable(),
  requestedFrom: z.string().nullable(),
  yourAddress: z.string().nullable(),
  createdAt: time,
  expiresAt: time,
});

/** A pairing once answered (the statuses of db/schema/extension-pairings.ts; an answer is approved or denied). */
export const answeredPairingOutput = z.object({
  status: z.enum(["pending", "approved", "denied", "completed"]),
  deviceLabel: z.string().nullable(),
});
