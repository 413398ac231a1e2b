import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePageContext } from "@/lib/http/page-context";
import { psaKinds } from "@/lib/psa/types";
import { listPsaConnections } from "@/lib/services/psa/list";
import { CompanyMapping } from "./_components/company-mapping";
import { PsaConnectionCard } from "./_components/psa-connection-card";
import { psaKindLabels } from "@/lib/vocabulary/psa-kinds";

export const metadata: Metadata = { title: "PSA" };

export default async function PsaPage() {
  const { ctx } = await requirePageContext("access_policies:manage");
  const connections = await listPsaConnections(ctx);
  return (
    <>
      <PageHeader
        title="PSA"
        description="Connect HaloPSA or ConnectWise PSA, and say which PSA company each customer is: an access policy's PSA ticket check then accepts only an open ticket of that company, and writes the access on it."
      />
      <div className="grid grid-cols-1 gap-6">
        <div className="grid grid-cols-1 items-start gap-4 lg:grid-cols-2">
          {psaKinds.map((kind) => (
            <PsaConnectionCard key={kind} kind={kind} connection={connections.find((c) => c.kind === kind) ?? null} />
          ))}
        </div>
        {connections.length === 0 ? (
          <Card data-testid="psa-mapping-empty">
            <CardHeader>
              <CardTitle>Customers and PSA companies</CardTitle>
              <CardDescription>Connect a PSA above first: Stint then reads its companies and suggests one for each customer by name.</CardDescription>
            </CardHeader>
          </Card>
        ) : (
          connections.map((c) => (
            <Card key={c.id} data-testid={`psa-mapping-${c.kind}`}>
              <CardHeader>
                <CardTitle>Customers in {psaKindLabels[c.kind]}</CardTitle>
                <CardDescription>
                  Confirm or choose the company of each customer. A suggestion is only a name match: nothing uses it until you confirm it, and a
                  customer without a company gets no access through a ticket check.
                </CardDescription>
              </CardHeader>
              <CardContent>
                <Suspense fallback={<p className="text-sm text-muted-foreground">Reading the companies from {c.name}…</p>}>
                  <CompanyMapping ctx={ctx} connectionId={c.id} />
                </Suspense>
              </CardContent>
            </Card>
          ))
        )}
      </div>
    </>
  );
}
