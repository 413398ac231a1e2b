"use client";

import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { CopyButton } from "./copy-button";

/** A signing secret, once: Stint keeps it sealed and cannot show it again. `children` says how receivers use it. */
export function SigningSecretNotice({ secret, onDone, children }: { secret: string; onDone: () => void; children: ReactNode }) {
  return (
    <div className="grid gap-2 rounded-md border border-amber-200 bg-amber-50/60 p-3 dark:border-amber-900 dark:bg-amber-950/30" data-testid="new-signing-secret">
      <Label htmlFor="new-signing-secret">Signing secret</Label>
      <div className="flex gap-2">
        <Input id="new-signing-secret" readOnly value={secret} className="font-mono" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton value={secret} label="the signing secret" secret />
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-xs text-muted-foreground">{children}</p>
        <Button variant="ghost" size="sm" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
