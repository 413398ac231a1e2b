import { sessionRoute } from "@/lib/http/route";
import { disableMember } from "@/lib/services/members/disable";

export const POST = sessionRoute({ permission: "members:manage" }, async ({ ctx, params }) => {
  await disableMember(ctx, params.memberId!);
  return { ok: true };
});
