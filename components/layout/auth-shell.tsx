import type { ReactNode } from "react";
import { StintMark } from "./stint-mark";

/** The centred frame of the signed-out pages: setup, sign-in, invite. */
export function AuthShell({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-16">
      <div className="w-full max-w-md">
        <div className="mb-6 flex items-center justify-center gap-2 text-lg font-semibold">
          <StintMark className="h-8 w-8" />
          Stint
        </div>
        <div className="rounded-lg border border-border bg-background p-6 shadow-sm">
          <h1 className="text-xl font-semibold">{title}</h1>
          {subtitle ? <p className="mt-1 text-sm text-muted-foreground">{subtitle}</p> : null}
          <div className="mt-6">{children}</div>
        </div>
        <p className="mt-4 text-center text-xs text-muted-foreground">Passkeys only. Stint never asks for a password.</p>
      </div>
    </main>
  );
}
