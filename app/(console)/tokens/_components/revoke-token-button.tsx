"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/auth/api-client";
import { Button } from "@/components/ui/button";

export function RevokeTokenButton({ tokenId, label }: { tokenId: string; label: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="ghost"
        size="sm"
        className="text-destructive"
        onClick={async () => {
          if (!window.confirm(`Revoke ${label}? Whatever uses it stops working at once.`)) return;
          setError(null);
          try {
            await callApi(`/api/tokens/${encodeURIComponent(tokenId)}`, { method: "DELETE" });
            router.refresh();
          } catch (err) {
            setError(err instanceof Error ? err.message : "Could not revoke the token.");
          }
        }}
      >
        Revoke
      </Button>
      {error ? <p className="text-xs text-destructive" role="alert">{error}</p> : null}
    </div>
  );
}
