"use client";

import { useRouter } from "next/navigation";
import { callApi } from "@/components/auth/api-client";
import { Button } from "@/components/ui/button";

export function EndSessionButton({ sessionId }: { sessionId: string }) {
  const router = useRouter();
  return (
    <Button
      variant="ghost"
      size="sm"
      onClick={async () => {
        await callApi(`/api/account/sessions/${sessionId}`, { method: "DELETE" });
        router.refresh();
      }}
    >
      End session
    </Button>
  );
}
