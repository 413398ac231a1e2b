import { and, eq, lt } from "drizzle-orm";
import { webauthnChallenges, type Ceremony } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { digest, newId } from "@/lib/ids";

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

/** Stores a challenge for one ceremony in one browser (the flow cookie); a new one replaces the old. */
export async function storeChallenge(args: {
  ceremony: Ceremony;
  flowToken: string;
  challenge: string;
  context?: Record<string, string>;
}): Promise<void> {
  const flowDigest = digest(args.flowToken);
  // Challenges have no MSP: a sign-in's or setup's comes before any MSP is known.
  await systemTxBypassingRls(async (tx) => {
    await tx
      .delete(webauthnChallenges)
      .where(and(eq(webauthnChallenges.flowDigest, flowDigest), eq(webauthnChallenges.ceremony, args.ceremony)));
    await tx.insert(webauthnChallenges).values({
      id: newId("challenge"),
      ceremony: args.ceremony,
      flowDigest,
      challenge: args.challenge,
      context: args.context ?? {},
      expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
    });
  });
}

/**
 * Takes the pending challenge out of the store: single use whether the verification that follows
 * succeeds or fails. Expired, missing, or of another ceremony → the ceremony must start again.
 */
export async function consumeChallenge(args: { ceremony: Ceremony; flowToken: string | undefined }) {
  if (!args.flowToken) throw challengeGone();
  const flowDigest = digest(args.flowToken);
  // Challenges have no MSP: a sign-in's or setup's comes before any MSP is known.
  const [row] = await systemTxBypassingRls((tx) =>
    tx
      .delete(webauthnChallenges)
      .where(and(eq(webauthnChallenges.flowDigest, flowDigest), eq(webauthnChallenges.ceremony, args.ceremony)))
      .returning(),
  );
  if (!row || row.expiresAt.getTime() <= Date.now()) throw challengeGone();
  return row;
}

export async function deleteExpiredChallenges(now = new Date()): Promise<number> {
  // Challenges have no MSP.
  const rows = await systemTxBypassingRls((tx) =>
    tx.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, now)).returning({ id: webauthnChallenges.id }),
  );
  return rows.length;
}

function challengeGone() {
  return new AppError("bad_request", "This passkey request has expired or was already used. Please try again.");
}
