"use client";

import { useId, useState } from "react";
import { api, type OutputOf } from "@/components/api/client";
import { useConsoleAction } from "@/components/api/use-console-action";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { stackedOnPhones as phone, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";

type Mapping = OutputOf<"listPsaCompanies">;
type Row = Mapping["customers"][number];
type Company = Mapping["companies"][number];

/** One customer: its confirmed company (unlink), or the suggested one to confirm, or any company to choose. */
function CustomerRow({ connectionId, row, companies }: { connectionId: string; row: Row; companies: Company[] }) {
  const id = useId();
  const linkedId = row.linked?.companyId ?? null;
  const [choice, setChoice] = useState(linkedId ?? row.suggested?.id ?? "");
  const { busy, error, run } = useConsoleAction();
  // A confirmed company the PSA no longer lists stays choosable, so the select never shows something else.
  const options = row.linked && !companies.some((c) => c.id === linkedId) ? [{ id: row.linked.companyId, name: row.linked.companyName }, ...companies] : companies;
  const chosen = options.find((c) => c.id === choice);
  const showsLink = linkedId !== null && choice === linkedId;
  return (
    <TR data-testid={`psa-customer-${row.customerName}`} className={`${phone.row} max-md:px-0`}>
      <TD className={`font-medium ${phone.cell} ${phone.title}`}>{row.customerName}</TD>
      <TD className={phone.cell}>
        <div className="grid gap-1">
          <label htmlFor={`${id}-company`} className="sr-only">
            PSA company of {row.customerName}
          </label>
          <Select id={`${id}-company`} value={choice} onChange={(e) => setChoice(e.target.value)} className="min-w-48">
            <option value="">Not linked</option>
            {options.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
          {error ? (
            <p role="alert" className="text-xs text-destructive">
              {error}
            </p>
          ) : null}
        </div>
      </TD>
      <TD className={`${phone.cell} ${phone.aside}`}>
        {row.linked ? <Badge variant="success">Confirmed</Badge> : row.suggested ? <Badge variant="muted">Suggested</Badge> : <Badge variant="muted">Not linked</Badge>}
      </TD>
      <TD className={`text-right max-md:text-left ${phone.cell}`}>
        {showsLink ? (
          <Button variant="ghost" size="sm" className="text-destructive" disabled={busy} onClick={() => void run(() => api("unlinkPsaCompany", { params: { connectionId, customerId: row.customerId } }))}>
            Unlink
          </Button>
        ) : (
          <Button
            variant="outline"
            size="sm"
            disabled={busy || !chosen}
            onClick={() => void run(() => api("linkPsaCompany", { params: { connectionId }, body: { customerId: row.customerId, companyId: chosen!.id, companyName: chosen!.name } }))}
          >
            {!row.linked && row.suggested && choice === row.suggested.id ? "Confirm" : "Link"}
          </Button>
        )}
      </TD>
    </TR>
  );
}

/** Which PSA company each active customer is: a ticket check accepts only tickets of the customer's company. */
export function CompanyMappingTable({ connectionId, companies, customers }: { connectionId: string } & Mapping) {
  if (customers.length === 0) return <p className="text-sm text-muted-foreground">No active customers yet: onboard one, then link it here.</p>;
  return (
    <Table data-testid="psa-mapping" className={phone.table}>
      <THead className={phone.head}>
        <TR>
          <TH>Customer</TH>
          <TH>PSA company</TH>
          <TH>State</TH>
          <TH>
            <span className="sr-only">Action</span>
          </TH>
        </TR>
      </THead>
      <TBody className={phone.body}>
        {customers.map((row) => (
          <CustomerRow key={row.customerId} connectionId={connectionId} row={row} companies={companies} />
        ))}
      </TBody>
    </Table>
  );
}
