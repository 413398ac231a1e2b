import { z } from "zod";
import { memberRoles } from "@/lib/vocabulary/member-roles";

/**
 * The passkey ceremonies' options, as @simplewebauthn/server generates them and the browser's
 * startRegistration / startAuthentication take them (PublicKeyCredential*OptionsJSON).
 */
const transport = z.enum(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]);
const credentialDescriptor = z.object({ id: z.string(), type: z.literal("public-key"), transports: z.array(transport).optional() });
const userVerification = z.enum(["discouraged", "preferred", "required"]);
const hint = z.enum(["hybrid", "security-key", "client-device"]);
const extensions = z.object({ appid: z.string().optional(), credProps: z.boolean().optional(), hmacCreateSecret: z.boolean().optional(), minPinLength: z.boolean().optional() });

export const registrationOptionsOutput = z.object({
  rp: z.object({ id: z.string().optional(), name: z.string() }),
  user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
  challenge: z.string(),
  pubKeyCredParams: z.array(z.object({ alg: z.number(), type: z.literal("public-key") })),
  timeout: z.number().optional(),
  excludeCredentials: z.array(credentialDescriptor).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: z.enum(["cross-platform", "platform"]).optional(),
      requireResidentKey: z.boolean().optional(),
      residentKey: z.enum(["discouraged", "preferred", "required"]).optional(),
      userVerification: userVerification.optional(),
    })
    .optional(),
  hints: z.array(hint).optional(),
  attestation: z.enum(["direct", "enterprise", "indirect", "none"]).optional(),
  attestationFormats: z.array(z.enum(["fido-u2f", "packed", "android-safetynet", "android-key", "tpm", "apple", "none"])).optional(),
  extensions: extensions.optional(),
});

export const authenticationOptionsOutput = z.object({
  challenge: z.string(),
  timeout: z.number().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(credentialDescriptor).optional(),
  userVerification: userVerification.optional(),
  hints: z.array(hint).optional(),
  extensions: extensions.optional(),
});

/** A step that opened or ended a session (sign-in, setup, an accepted invite, sign-out): where the browser goes next. */
export const redirectOutput = z.object({ ok: z.literal(true), redirectTo: z.string() });

/** What the invite page shows before the invitee registers a passkey. */
export const inviteDescriptionOutput = z.object({
  mspName: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(memberRoles),
  isRecovery: z.boolean(),
  expiresAt: z.iso.datetime(),
});
