import { z } from "zod";

/** Disconnecting a customer: done, or waiting for its live grants to end first (it completes on its own). */
export const disconnectOutput = z.discriminatedUnion("status", [
  z.object({ status: z.literal("disconnected") }),
  z.object({ status: z.literal("disconnecting"), liveGrants: z.number().int().min(1) }),
]);

/** Where the admin's browser goes next: the customer's tenant's sign-in, then admin consent. */
export const consentStartOutput = z.object({ redirectUrl: z.string() });
