import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { psaCompanyLinks, psaConnections, type AccessHook } from "@/db/schema";
import { psaTicketCheck } from "@/lib/hooks/psa-ticket-check";
import type { HookTransport } from "@/lib/hooks/transport";
import { webhookTransport } from "@/lib/hooks/webhook";
import { psaClientOf } from "@/lib/services/psa/internal";
import { openHookSecret } from "./secrets";

/** How to reach a hook for a grant on this customer: its webhook, or the PSA check with the customer's mapped company. */
export async function transportFor(tx: Tx, hook: AccessHook, customerId: string): Promise<HookTransport> {
  if (hook.kind === "webhook") return webhookTransport(hook.url!, openHookSecret(hook.id, hook.secretEnvelope!));
  const [connection] = await tx.select().from(psaConnections).where(and(eq(psaConnections.id, hook.psaConnectionId!), eq(psaConnections.mspId, hook.mspId)));
  const [link] = await tx
    .select()
    .from(psaCompanyLinks)
    .where(and(eq(psaCompanyLinks.mspId, hook.mspId), eq(psaCompanyLinks.psaConnectionId, hook.psaConnectionId!), eq(psaCompanyLinks.customerId, customerId)));
  return psaTicketCheck(psaClientOf(connection!), link ? { id: link.companyId, name: link.companyName } : null, hook.psaOptions!);
}
