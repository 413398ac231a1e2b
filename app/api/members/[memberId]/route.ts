import { sessionRoute } from "@/lib/http/route";
import { changeMemberRole } from "@/lib/services/members/change-role";

export const PATCH = sessionRoute({ permission: "members:manage" }, async ({ ctx, params, readJson }) => {
  await changeMemberRole(ctx, params.memberId!, await readJson());
  return { ok: true };
});
