import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { changeMemberRole } from "@/lib/services/members/change-role";

export const PATCH = route(operations.changeMemberRole, async ({ ctx, params, body }) => {
  await changeMemberRole(ctx, params.memberId, body);
  return null;
});
