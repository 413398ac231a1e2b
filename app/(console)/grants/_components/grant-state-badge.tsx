import { Badge } from "@/components/ui/badge";
import type { GrantState } from "@/lib/vocabulary/grant-states";
import { grantStateLabels } from "./grant-labels";

const variants: Record<GrantState, "default" | "muted" | "success" | "warning" | "destructive"> = {
  pending_approval: "warning",
  approved: "default",
  provisioning: "default",
  active: "success",
  expiring: "warning",
  ended: "muted",
  failed: "destructive",
  revoked: "muted",
  irrevocable: "destructive",
  denied: "destructive",
  expired: "muted",
  cancelled: "muted",
};

/** The grant's state in words; an approved grant whose start lies ahead reads "Scheduled". */
export function GrantStateBadge({ state, startAt }: { state: GrantState; startAt: Date }) {
  const scheduled = state === "approved" && startAt.getTime() > Date.now();
  return (
    <Badge variant={variants[state]} data-testid="grant-state">
      {scheduled ? "Scheduled" : grantStateLabels[state]}
    </Badge>
  );
}
