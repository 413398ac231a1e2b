import { approvalDto } from "@/lib/api/v1/approval-mappers";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { listMyApprovals } from "@/lib/services/approvals/list";

export const GET = route(operations.listApprovals, async ({ ctx }) => ({ items: (await listMyApprovals(ctx)).map(approvalDto) }));
