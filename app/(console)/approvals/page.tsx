import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePageContext } from "@/lib/http/page-context";
import { listMyApprovals } from "@/lib/services/approvals/list";
import { ApprovalCard } from "./_components/approval-card";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  const { ctx } = await requirePageContext();
  const waiting = await listMyApprovals(ctx);
  const pending = waiting.filter((g) => g.state === "pending_approval");
  const toReview = waiting.filter((g) => g.state !== "pending_approval");
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Requests for admin access that an access policy asks you to approve, and break-glass access to review. Approving needs your passkey."
      />
      <div className="grid grid-cols-1 gap-4" data-testid="approval-queue">
        {waiting.length === 0 ? (
          <Card>
            <CardHeader>
              <CardTitle>Nothing waits for you</CardTitle>
              <CardDescription>When someone asks for access that needs your approval, it appears here and in the navigation.</CardDescription>
            </CardHeader>
          </Card>
        ) : null}
        {pending.map((g) => (
          <ApprovalCard key={g.id} approval={{ ...g, kind: "approval" }} />
        ))}
        {toReview.map((g) => (
          <ApprovalCard key={g.id} approval={{ ...g, kind: "review" }} />
        ))}
      </div>
    </>
  );
}
