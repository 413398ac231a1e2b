import { z } from "zod";
import { isTimeZone } from "@/lib/policies/hours";
import { wholeNumber } from "@/lib/validation/whole-number";
import { expiryActions } from "@/lib/vocabulary/expiry-actions";
import { signInMethods } from "@/lib/vocabulary/sign-in-methods";

export const customerNameInput = z.string().trim().min(2, "At least 2 characters.").max(100, "At most 100 characters.");
export const createCustomerInput = z.object({ name: customerNameInput });
export const renameCustomerInput = z.object({ name: customerNameInput });
export const archiveCustomerInput = z.object({ archived: z.boolean() });

const MINUTES_PER_DAY = 24 * 60;
/** Placeholders a naming template may use; {grant} is required so every JIT account's UPN is unique. */
export const namingPlaceholders = ["{technician}", "{grant}", "{customer}"] as const;

const durationMinutes = (label: string) =>
  wholeNumber(
    `${label} must be a number of minutes.`,
    z
      .number()
      .int(`${label} must be whole minutes.`)
      .min(15, `${label} must be at least 15 minutes.`)
      .max(7 * MINUTES_PER_DAY, `${label} must be at most 7 days (10080 minutes).`),
  );

export const customerSettingsInput = z
  .object({
    upnDomain: z
      .string()
      .trim()
      .toLowerCase()
      .max(255)
      .nullable()
      .transform((v) => v || null),
    namingTemplate: z
      .string()
      .trim()
      .min(1, "Enter a naming template.")
      .max(40, "At most 40 characters.")
      .refine((t) => t.includes("{grant}"), "The naming template must contain {grant}, so each JIT account is unique.")
      .refine(
        (t) => /^[a-z0-9._-]*$/i.test(namingPlaceholders.reduce((acc, p) => acc.replaceAll(p, ""), t)),
        "Use letters, digits, '.', '-', '_' and the placeholders {technician}, {grant}, {customer}.",
      ),
    defaultDurationMinutes: durationMinutes("Default duration"),
    maxDurationMinutes: durationMinutes("Maximum duration"),
    usageLocation: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "Usage location is a two-letter country code (ISO 3166), e.g. US or DE."),
    expiryActions: z
      .array(z.enum(expiryActions, { error: `Expiry actions are: ${expiryActions.join(", ")}.` }))
      .min(1, "Choose at least one expiry action.")
      .refine((a) => new Set(a).size === a.length, "Each expiry action may appear once."),
    consentText: z.string().trim().max(2000, "At most 2000 characters.").nullable(),
    /** IANA time zone for the hours of access policies; absent: unchanged. */
    timeZone: z.string().trim().max(64).refine(isTimeZone, "Not a known time zone (IANA name, e.g. Europe/Berlin).").optional(),
    /** Absent: unchanged. */
    signInMethod: z.enum(signInMethods, { error: `Sign-in method is one of: ${signInMethods.join(", ")}.` }).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.defaultDurationMinutes > s.maxDurationMinutes) {
      ctx.addIssue({ code: "custom", path: ["defaultDurationMinutes"], message: `Default duration cannot exceed the maximum (${s.maxDurationMinutes} minutes).` });
    }
    const actions = s.expiryActions;
    if (!actions.includes("disable") && !actions.includes("delete")) {
      ctx.addIssue({ code: "custom", path: ["expiryActions"], message: "Expiry must disable or delete the account." });
    }
    // App-only credentials cannot disable, reset or delete a user who still holds a privileged role.
    const rolesAt = actions.indexOf("remove_roles");
    const firstUserChange = actions.findIndex((a) => a === "remove_tap" || a === "disable" || a === "rotate_password" || a === "delete");
    if (rolesAt === -1 || rolesAt > firstUserChange) {
      ctx.addIssue({ code: "custom", path: ["expiryActions"], message: "Remove roles must come first: Entra refuses to disable or delete a user who still holds an admin role." });
    }
    if (s.signInMethod === "tap" && !actions.includes("remove_tap") && !actions.includes("delete")) {
      ctx.addIssue({ code: "custom", path: ["expiryActions"], message: "With Temporary Access Pass sign-in, expiry must remove the pass (or delete the account)." });
    }
  });
export type CustomerSettingsInput = z.input<typeof customerSettingsInput>;
