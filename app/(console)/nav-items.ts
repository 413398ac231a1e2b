import type { MemberRole } from "@/lib/vocabulary/member-roles";
import { can, type Permission } from "@/lib/auth/permissions";

export type NavItem = {
  href: string;
  label: string;
  icon: "home" | "users" | "scroll" | "user" | "building" | "layers" | "share" | "key" | "timer" | "tokens" | "book" | "bell" | "check" | "shield" | "plug";
  /** A count shown beside the label (what waits for the member there). */
  badge?: number;
};

const items: (NavItem & { permission?: Permission })[] = [
  { href: "/overview", label: "Overview", icon: "home" },
  { href: "/access", label: "My access", icon: "key" },
  { href: "/customers", label: "Customers", icon: "building" },
  { href: "/approvals", label: "Approvals", icon: "check", permission: "approvals:decide" },
  { href: "/access-levels", label: "Access levels", icon: "layers", permission: "access_levels:manage" },
  { href: "/access-policies", label: "Access policies", icon: "shield", permission: "access_policies:manage" },
  { href: "/delegations", label: "Delegations", icon: "share", permission: "customers:read_all" },
  { href: "/grants", label: "Grants", icon: "timer", permission: "grants:read_all" },
  { href: "/members", label: "Members", icon: "users", permission: "members:read" },
  { href: "/tokens", label: "Access tokens", icon: "tokens", permission: "tokens:manage_all" },
  { href: "/notifications", label: "Notifications", icon: "bell", permission: "notifications:manage" },
  { href: "/integrations/psa", label: "PSA", icon: "plug", permission: "access_policies:manage" },
  { href: "/audit", label: "Audit log", icon: "scroll", permission: "audit:read" },
  { href: "/account", label: "Your account", icon: "user" },
  { href: "/api-docs", label: "API reference", icon: "book" },
];

/** The sidebar shows only what the role may open; the pages and routes refuse the rest anyway. */
export function navItemsFor(role: MemberRole, badges: Record<string, number> = {}): NavItem[] {
  return items.filter((i) => !i.permission || can(role, i.permission)).map(({ permission: _p, ...i }) => (badges[i.href] ? { ...i, badge: badges[i.href] } : i));
}
