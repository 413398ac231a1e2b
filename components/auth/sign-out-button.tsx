"use client";

import { LogOut } from "lucide-react";
import { api } from "@/components/api/client";
import { Button } from "@/components/ui/button";

export function SignOutButton() {
  return (
    <Button
      variant="ghost"
      size="sm"
      className="w-full justify-start max-wide:h-11"
      onClick={async () => {
        await api("signOut").catch(() => undefined);
        window.location.assign("/sign-in");
      }}
    >
      <LogOut className="h-4 w-4" /> Sign out
    </Button>
  );
}
