import Link from "next/link";
import { roleLabels } from "@/lib/auth/permissions";
import type { Delegator } from "./who-delegates";

/**
 * In place of the request form when no connected customer has an access level delegated to the member:
 * who may delegate one, and what to ask them for.
 */
export function NothingToRequest({ delegators, mayDelegate }: { delegators: readonly Delegator[]; mayDelegate: boolean }) {
  return (
    <div className="grid gap-4 text-sm" data-testid="nothing-to-request">
      <div className="grid gap-1">
        <h2 className="text-base font-semibold">Nothing to request yet</h2>
        <p className="text-muted-foreground">
          You may request access on a customer once an access level there is delegated to you, directly or through a team, and the customer&apos;s Entra ID is connected. No
          customer is like that for you yet.
        </p>
      </div>
      {mayDelegate ? (
        <p>
          As an owner or admin you may delegate to yourself on the{" "}
          <Link href="/delegations" className="font-medium text-primary hover:underline">
            Delegations page
          </Link>
          .
        </p>
      ) : (
        <>
          <div className="grid gap-1.5">
            <h3 className="font-medium">Who can delegate</h3>
            {delegators.length > 0 ? (
              <ul className="grid gap-1" data-testid="delegators">
                {delegators.map((d) => (
                  <li key={d.id}>
                    <span className="font-medium">{d.displayName}</span> <span className="text-muted-foreground">· {roleLabels[d.role]}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-muted-foreground">Your MSP&apos;s owners and admins; none is active right now.</p>
            )}
          </div>
          <div className="grid gap-1.5">
            <h3 className="font-medium">What to ask for</h3>
            <ul className="grid list-disc gap-1 pl-5">
              <li>the customer you need to work on, and that its Entra ID is connected;</li>
              <li>the access level you need there (the admin roles), delegated to you or to a team you are in;</li>
              <li>the longest time you will need it at once.</li>
            </ul>
          </div>
        </>
      )}
    </div>
  );
}
