import type { Tx } from "@/db/client";
import { passkeys } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { VerifiedPasskey } from "@/lib/services/webauthn/registration";

/**
 * Stores a verified passkey. Credential ids are unique across every member of every MSP (WebAuthn §7.1
 * step 23): one already registered anywhere is refused, so nobody can attach a victim's credential.
 */
export async function insertPasskey(
  tx: Tx,
  args: { mspId: string; memberId: string; name: string; passkey: VerifiedPasskey },
): Promise<void> {
  const inserted = await tx
    .insert(passkeys)
    .values({ ...args.passkey, mspId: args.mspId, memberId: args.memberId, name: args.name })
    .onConflictDoNothing({ target: passkeys.id })
    .returning({ id: passkeys.id });
  if (inserted.length === 0) throw new AppError("conflict", "This passkey is already registered.");
}
