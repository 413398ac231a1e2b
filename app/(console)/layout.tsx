import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { ConsoleMenu } from "@/components/layout/console-menu";
import { StintMark } from "@/components/layout/stint-mark";
import { ViewerTimeZoneProvider } from "@/components/time/viewer-time-zone";
import { roleLabels } from "@/lib/auth/permissions";
import { requirePageContext } from "@/lib/http/page-context";
import { viewerTimeZone } from "@/lib/http/viewer-time-zone";
import { countMyApprovals } from "@/lib/services/approvals/list";
import { NavLinks } from "./nav-links";
import { navItemsFor } from "./nav-items";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { ctx, session } = await requirePageContext();
  const [waiting, zone] = await Promise.all([countMyApprovals(ctx), viewerTimeZone(session.member.timeZone)]);
  return (
    <div className="min-h-full wide:flex">
      <ConsoleMenu
        brand={
          <div className="flex min-w-0 items-center gap-2 px-4 font-semibold wide:px-5 wide:py-4">
            <StintMark className="h-7 w-7" />
            <span className="truncate" title={session.mspName}>{session.mspName}</span>
          </div>
        }
      >
        <NavLinks items={navItemsFor(session.member.role, { "/approvals": waiting })} />
        <div className="mt-auto border-t border-border p-3 max-wide:mt-2">
          <div className="px-2 pb-2 text-sm">
            <div className="truncate font-medium" data-testid="signed-in-as">{session.member.displayName}</div>
            <div className="truncate text-xs text-muted-foreground" title={session.member.email}>{session.member.email}</div>
            <div className="text-xs text-muted-foreground">{roleLabels[session.member.role]}</div>
          </div>
          <SignOutButton />
        </div>
      </ConsoleMenu>
      <main className="min-w-0 flex-1 px-4 py-6 sm:px-8 sm:py-8">
        <ViewerTimeZoneProvider zone={zone}>{children}</ViewerTimeZoneProvider>
      </main>
    </div>
  );
}
