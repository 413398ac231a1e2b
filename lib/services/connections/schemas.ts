import { z } from "zod";

/**
 * The query string Entra sends back to the redirect URI: the sign-in's `code` (or its error), then admin consent's
 * `admin_consent`/`tenant` (or its error). Other parameters (`session_state`, `client_info`, `scope`,
 * `error_uri`) are not needed and are dropped.
 */
export const consentCallbackInput = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(8192).optional(),
  tenant: z.string().max(200).optional(),
  admin_consent: z.string().max(20).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(4000).optional(),
});
