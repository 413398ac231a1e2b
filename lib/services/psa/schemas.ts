import { z } from "zod";

export const psaConnectionInput = z.object({
  name: z.string().trim().min(2, "At least 2 characters.").max(80, "At most 80 characters."),
  /**
   * The PSA's address and credentials (lib/psa/settings.ts). On a change, a secret left empty keeps the stored one,
   * so the console never has to show it.
   */
  settings: z.record(z.string(), z.unknown()),
});

export const psaLinkInput = z.object({
  customerId: z.string().min(1).max(40),
  companyId: z.string().trim().min(1).max(100),
  companyName: z.string().trim().min(1).max(200),
});
