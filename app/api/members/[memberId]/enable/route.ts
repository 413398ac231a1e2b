import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { enableMember } from "@/lib/services/members/enable";

export const POST = route(operations.enableMember, async ({ ctx, params }) => {
  await enableMember(ctx, params.memberId);
  return null;
});
