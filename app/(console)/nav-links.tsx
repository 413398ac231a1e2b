"use client";

import { Bell, BookOpen, Building2, CheckSquare, Home, Key, KeyRound, Layers, Plug, ScrollText, Share2, ShieldCheck, Timer, User, Users } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";
import type { NavItem } from "./nav-items";

const icons = { bell: Bell, book: BookOpen, home: Home, users: Users, scroll: ScrollText, user: User, building: Building2, layers: Layers, share: Share2, key: Key, timer: Timer, tokens: KeyRound, check: CheckSquare, shield: ShieldCheck, plug: Plug };

export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <nav className="grid gap-0.5 px-3" aria-label="Console">
      {items.map((item) => {
        const Icon = icons[item.icon];
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              // Thumb-sized in the folded menu of narrow screens.
              "flex items-center gap-2 rounded-md px-2 py-3 text-sm text-muted-foreground hover:bg-muted hover:text-foreground wide:py-1.5",
              active && "bg-muted font-medium text-foreground",
            )}
          >
            <Icon className="h-4 w-4" />
            {item.label}
            {item.badge ? (
              <span className="ml-auto rounded-full bg-amber-500 px-1.5 text-xs font-semibold text-white" data-testid={`nav-badge-${item.href.slice(1)}`} aria-label={`${item.badge} waiting`}>
                {item.badge}
              </span>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}
