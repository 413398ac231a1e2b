import { z } from "zod";

/** A passkey's id is its WebAuthn credential id (base64url), up to 1023 bytes: longer than other ids. */
export const passkeyParams = z.object({ passkeyId: z.string().min(1).max(1400).meta({ description: "Passkey (credential) id, base64url." }) });
