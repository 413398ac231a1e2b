import { z } from "zod";
import { roleInput } from "@/lib/services/members/schemas";

const time = z.iso.datetime({ offset: true });

/** A new member's one-time invite link, shown once to the admin who created it. */
export const inviteCreatedOutput = z.object({ id: z.string(), email: z.string(), role: roleInput, expiresAt: time, link: z.string() });

/** A member's one-time recovery link (a new passkey replaces their old ones), shown once. */
export const recoveryLinkOutput = z.object({ id: z.string(), email: z.string(), expiresAt: time, link: z.string() });
