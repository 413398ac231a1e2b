import type { ServiceContext } from "@/lib/services/context";

/** An access token restricted to some customers acts only on their grants. */
export function tokenMaySee(ctx: ServiceContext, customerId: string): boolean {
  return ctx.actor.type !== "token" || ctx.actor.customerIds === null || ctx.actor.customerIds.includes(customerId);
}
