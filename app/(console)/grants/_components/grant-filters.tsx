"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { GrantState } from "@/lib/vocabulary/grant-states";
import { grantStateLabels } from "./grant-labels";

type Option = { id: string; name: string };
type Props = { scope: "live" | "history"; initial: Record<string, string>; customers: Option[]; technicians: Option[]; states: readonly GrantState[] };

/** Filters live in the URL, so a filtered view can be bookmarked and shared. */
export function GrantFilters({ scope, initial, customers, technicians, states }: Props) {
  const router = useRouter();
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      data-testid="grant-filters"
      onSubmit={(e) => {
        e.preventDefault();
        const params = new URLSearchParams({ scope });
        for (const [k, v] of new FormData(e.currentTarget)) if (typeof v === "string" && v) params.set(k, v);
        router.push(`/grants?${params}`);
      }}
    >
      <div className="grid gap-1 max-sm:w-full">
        <Label htmlFor="f-customer">Customer</Label>
        <Select id="f-customer" name="customerId" defaultValue={initial.customerId ?? ""} className="sm:w-56">
          <option value="">All customers</option>
          {customers.map((c) => (
            <option key={c.id} value={c.id}>{c.name}</option>
          ))}
        </Select>
      </div>
      <div className="grid gap-1 max-sm:w-full">
        <Label htmlFor="f-technician">Technician</Label>
        <Select id="f-technician" name="memberId" defaultValue={initial.memberId ?? ""} className="sm:w-56">
          <option value="">Everyone</option>
          {technicians.map((m) => (
            <option key={m.id} value={m.id}>{m.name}</option>
          ))}
        </Select>
      </div>
      <div className="grid gap-1 max-sm:w-full">
        <Label htmlFor="f-state">State</Label>
        <Select id="f-state" name="state" defaultValue={initial.state ?? ""} className="sm:w-44">
          <option value="">Any</option>
          {states.map((s) => (
            <option key={s} value={s}>{grantStateLabels[s]}</option>
          ))}
        </Select>
      </div>
      <div className="grid gap-1 max-sm:w-full">
        <Label htmlFor="f-q">Search</Label>
        <Input id="f-q" name="q" type="search" defaultValue={initial.q ?? ""} placeholder="Ticket, reason, account" className="sm:w-56" />
      </div>
      <Button type="submit" variant="outline">Apply</Button>
      <Button type="button" variant="ghost" onClick={() => router.push(`/grants?scope=${scope}`)}>Clear</Button>
    </form>
  );
}
