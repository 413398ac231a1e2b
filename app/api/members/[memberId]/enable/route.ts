import { sessionRoute } from "@/lib/http/route";
import { enableMember } from "@/lib/services/members/enable";

export const POST = sessionRoute({ permission: "members:manage" }, async ({ ctx, params }) => {
  await enableMember(ctx, params.memberId!);
  return { ok: true };
});
