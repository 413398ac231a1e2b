"use client";

import { useRouter } from "next/navigation";
import { callApi } from "@/components/auth/api-client";
import { Button } from "@/components/ui/button";

export function RevokeInviteButton({ inviteId }: { inviteId: string }) {
  const router = useRouter();
  return (
    <Button
      variant="ghost"
      size="sm"
      onClick={async () => {
        await callApi(`/api/members/invites/${inviteId}`, { method: "DELETE" });
        router.refresh();
      }}
    >
      Revoke
    </Button>
  );
}
