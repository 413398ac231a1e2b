import { roleLabels } from "@/lib/auth/permissions";
import type { MemberRole } from "@/lib/vocabulary/member-roles";

export type Delegator = { id: string; displayName: string; role: MemberRole };

/** "Olivia (Owner), Adam (Admin) or Ann (Admin)": whom to ask for a delegation, in one phrase. */
export function whoDelegates(delegators: readonly Delegator[]): string {
  if (delegators.length === 0) return "an owner or admin of your MSP";
  const names = delegators.map((d) => `${d.displayName} (${roleLabels[d.role]})`);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}
