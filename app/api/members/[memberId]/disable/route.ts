import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { disableMember } from "@/lib/services/members/disable";

export const POST = route(operations.disableMember, async ({ ctx, params }) => {
  await disableMember(ctx, params.memberId);
  return null;
});
