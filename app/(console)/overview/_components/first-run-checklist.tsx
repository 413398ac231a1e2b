import { CheckCircle2, Circle } from "lucide-react";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { FirstRun, FirstRunStep } from "@/lib/services/overview/read-first-run";
import { firstRunSteps } from "@/lib/services/overview/read-first-run";
import { cn } from "@/lib/utils";

type Step = { label: string; hint: string; href: string };

function stepsFor(run: FirstRun): Record<FirstRunStep, Step> {
  const connectAt = run.customerToConnect ? `/customers/${run.customerToConnect}` : "/customers";
  const enableAt = run.customerToEnable ? `/customers/${run.customerToEnable}` : "/customers";
  return {
    customer: { label: "Add a customer", hint: "A client company whose tenant your technicians administer (or the sandbox).", href: "/customers" },
    connection: { label: "Connect its Entra ID", hint: "An admin of the customer's tenant signs in and consents to Stint.", href: connectAt },
    accessLevel: { label: "Create an access level", hint: "A named bundle of directory roles, such as Helpdesk.", href: "/access-levels" },
    enabled: { label: "Enable it on the customer", hint: "Which access levels may be requested in that tenant.", href: enableAt },
    delegation: { label: "Delegate it", hint: "Who may request which levels on which customers, and for how long.", href: "/delegations" },
    invite: { label: "Invite a member", hint: "Technicians request access; auditors read everything.", href: "/members" },
    request: { label: "Make the first request", hint: "A JIT admin account appears in the tenant, and goes again at the end.", href: "/access/request" },
  };
}

/** Setting Stint up, step by step: each step ticks itself from what exists, and the card goes once all are done. */
export function FirstRunChecklist({ run }: { run: FirstRun }) {
  const done = firstRunSteps.filter((s) => run.done[s]).length;
  if (done === firstRunSteps.length) return null;
  const steps = stepsFor(run);
  const next = firstRunSteps.find((s) => !run.done[s]);
  return (
    <Card data-testid="first-run-checklist">
      <CardHeader>
        <CardTitle>Get started</CardTitle>
        <CardDescription>{done} of {firstRunSteps.length} done. This list goes away once every step is.</CardDescription>
      </CardHeader>
      <CardContent>
        <ol className="grid gap-1">
          {firstRunSteps.map((key) => {
            const step = steps[key];
            const isDone = run.done[key];
            return (
              <li key={key} data-testid={`first-run-${key}`} data-done={isDone} className={cn("flex items-start gap-3 rounded-md px-2 py-2", key === next && "bg-muted")}>
                {isDone ? <CheckCircle2 className="mt-0.5 size-5 shrink-0 text-success" aria-hidden="true" /> : <Circle className="mt-0.5 size-5 shrink-0 text-muted-foreground" aria-hidden="true" />}
                <div className="grid gap-0.5">
                  <Link href={step.href} className={cn("font-medium hover:underline", isDone ? "text-muted-foreground line-through" : "text-primary")}>
                    {step.label}
                    <span className="sr-only">{isDone ? " (done)" : " (to do)"}</span>
                  </Link>
                  {isDone ? null : <span className="text-xs text-muted-foreground">{step.hint}</span>}
                </div>
              </li>
            );
          })}
        </ol>
      </CardContent>
    </Card>
  );
}
