"use client";

import { useRouter } from "next/navigation";
import { useViewerTimeZone } from "@/components/time/viewer-time-zone";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** Filters live in the URL, so a filtered view can be bookmarked and exported as shown. Dates are days in the viewer's zone. */
export function AuditFilters({ initial }: { initial: Record<string, string> }) {
  const router = useRouter();
  const zone = useViewerTimeZone();
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const params = new URLSearchParams();
        for (const [k, v] of data) if (typeof v === "string" && v.trim()) params.set(k, v.trim());
        router.push(`/audit?${params}`);
      }}
    >
      <div className="grid gap-1 max-sm:w-full">
        <Label htmlFor="f-action">Action starts with</Label>
        <Input id="f-action" name="action" defaultValue={initial.action} placeholder="member." className="sm:w-44" />
      </div>
      <div className="grid gap-1 max-sm:w-full">
        <Label htmlFor="f-actor">Actor</Label>
        <Input id="f-actor" name="actor" defaultValue={initial.actor} placeholder="email or id" className="sm:w-52" />
      </div>
      <div className="grid gap-1 max-sm:w-full">
        <Label htmlFor="f-text">Text</Label>
        <Input id="f-text" name="text" type="search" defaultValue={initial.text} placeholder="reason, ticket, hook note" className="sm:w-52" />
      </div>
      <div className="grid gap-1 max-sm:w-full">
        <Label htmlFor="f-result">Result</Label>
        <Select id="f-result" name="result" defaultValue={initial.result ?? ""} className="sm:w-32">
          <option value="">Any</option>
          <option value="success">Success</option>
          <option value="failure">Failure</option>
        </Select>
      </div>
      <div className="grid gap-1 max-sm:w-full">
        <Label htmlFor="f-from">From ({zone})</Label>
        <Input id="f-from" name="from" type="date" defaultValue={initial.from} className="sm:w-40" />
      </div>
      <div className="grid gap-1 max-sm:w-full">
        <Label htmlFor="f-to">To ({zone}, included)</Label>
        <Input id="f-to" name="to" type="date" defaultValue={initial.to} className="sm:w-40" />
      </div>
      <Button type="submit" variant="outline">Apply</Button>
      <Button type="button" variant="ghost" onClick={() => router.push("/audit")}>Clear</Button>
    </form>
  );
}
