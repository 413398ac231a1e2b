"use client";

import { LogOut } from "lucide-react";
import { Button } from "@/components/ui/button";
import { callApi } from "./api-client";

export function SignOutButton() {
  return (
    <Button
      variant="ghost"
      size="sm"
      className="w-full justify-start"
      onClick={async () => {
        await callApi("/api/auth/sign-out").catch(() => undefined);
        window.location.assign("/sign-in");
      }}
    >
      <LogOut className="h-4 w-4" /> Sign out
    </Button>
  );
}
