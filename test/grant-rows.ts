import { grants, type Grant } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { newId } from "@/lib/ids";

/**
 * A grant row with the exposure window it had, inserted directly: for what reads grants' history (the
 * overview's charts, exports, statements) rather than for how they were made or ended.
 */
export async function insertGrantWithExposure(args: {
  mspId: string;
  customerId: string;
  memberId: string;
  state: Grant["state"];
  usableFrom: Date | null;
  usableTo?: Date | null;
  endsAt?: Date | null;
  accessLevelIds?: string[];
  roleTemplateIds?: string[];
  justification?: string;
  ticketRef?: string | null;
  endReason?: Grant["endReason"];
}) {
  const id = newId("grant");
  await systemTxBypassingRls((tx) =>
    tx.insert(grants).values({
      id, mspId: args.mspId, customerId: args.customerId, memberId: args.memberId, state: args.state, accessLevelIds: args.accessLevelIds ?? [],
      roleTemplateIds: args.roleTemplateIds ?? [], expiryActions: ["remove_roles", "disable"], durationMinutes: 60,
      justification: args.justification ?? "seeded grant for reports", ticketRef: args.ticketRef ?? null,
      startAt: args.usableFrom ?? new Date(), usableFrom: args.usableFrom, usableTo: args.usableTo ?? null, endsAt: args.endsAt ?? null,
      endReason: args.endReason ?? null, upn: `seeded-${id.slice(-6).toLowerCase()}@example.test`, displayName: "seeded grant", entraTenantId: "00000000-0000-0000-0000-000000000000",
    }),
  );
  return id;
}
