import { credentialDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/operations";
import { iso } from "@/lib/api/v1/schemas";
import { route } from "@/lib/http/route";
import { revealCredential } from "@/lib/services/grants/reveal-credential";
import { revealCredentialByToken } from "@/lib/services/grants/reveal-credential-by-token";

/**
 * Two explicit paths, never one relaxed check: a token goes through revealCredentialByToken
 * (credentials:read, grant owner only, audited with viaToken); a console session goes through the
 * console's revealCredential and still needs a fresh passkey step-up for each reveal.
 */
export const POST = route(operations.revealCredential, async ({ ctx, principal, params }) => {
  const c = principal.kind === "token" ? await revealCredentialByToken(ctx, params.grantId) : await revealCredential(ctx, params.grantId);
  return { ...credentialDto(c), endsAt: iso(c.endsAt) };
});
