import { z } from "zod";

/** A passkey assertion as the browser sends it (AuthenticationResponseJSON), bounded in size. */
export const authenticationResponseInput = z.object({
  id: z.string().min(1).max(1400),
  rawId: z.string().min(1).max(1400),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: z.string().min(1).max(10_000),
    authenticatorData: z.string().min(1).max(10_000),
    signature: z.string().min(1).max(2_000),
    userHandle: z.string().max(200).optional(),
  }).passthrough(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().optional(),
}).passthrough();
export type AuthenticationResponse = z.infer<typeof authenticationResponseInput>;

/** A new passkey as the browser sends it (RegistrationResponseJSON), bounded in size. */
export const registrationResponseInput = z.object({
  id: z.string().min(1).max(1400),
  rawId: z.string().min(1).max(1400),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: z.string().min(1).max(10_000),
    attestationObject: z.string().min(1).max(100_000),
    transports: z.array(z.string().max(30)).max(10).optional(),
  }).passthrough(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().optional(),
}).passthrough();
