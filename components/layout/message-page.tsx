import type { ReactNode } from "react";
import { StintMark } from "./stint-mark";

/** A page that only says something went another way (not found, an error): the mark, a status, a way on. */
export function MessagePage({ status, title, children }: { status: string; title: string; children: ReactNode }) {
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-16">
      <div className="w-full max-w-md rounded-lg border border-border bg-background p-6 shadow-sm">
        <div className="flex items-center gap-2">
          <StintMark className="h-6 w-6" />
          <p className="text-sm font-medium text-muted-foreground">{status}</p>
        </div>
        <h1 className="mt-2 text-xl font-semibold">{title}</h1>
        {children}
      </div>
    </main>
  );
}
