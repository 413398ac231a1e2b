import { z } from "zod";

/** The `{instance}` path segment: what follows `/halo/` or `/connectwise/` in the instance's base URL. */
export const psaInstanceName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, "letters, digits and hyphens, starting with a letter or digit")
  .transform((v) => v.toLowerCase());

const recordId = z.number().int().positive().max(999_999_999);
const name = z.string().trim().min(1);

/** A ticket as tests describe it, whichever PSA holds it. */
const ticketSeed = z.object({
  id: recordId,
  summary: name,
  /** The Halo client's / ConnectWise company's id. */
  company: recordId,
  /** A status name of the instance (case-insensitive). */
  status: z.string().min(1).default("New"),
  /** The assigned Halo agent / owning ConnectWise member, by e-mail; unassigned when absent. */
  assignee: z.email().optional(),
});

export const haloInstanceSeedSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** Set for a hosted instance: token requests may then name it in `?tenant=`; any other tenant is refused. */
  tenant: z.string().min(1).optional(),
  /** `expires_in` of issued tokens. */
  tokenLifetimeSeconds: z.number().int().min(1).default(3600),
  clients: z.array(z.object({ id: recordId, name, inactive: z.boolean().default(false) })).default([]),
  agents: z.array(z.object({ id: recordId, name, email: z.email() })).default([]),
  /** Replaces the default statuses; Closed (id 9) must be among them. */
  statuses: z
    .array(z.object({ id: recordId, name }))
    .refine((list) => list.some((s) => s.id === 9), "Closed (id 9) is one of Halo's fixed statuses")
    .optional(),
  tickets: z.array(ticketSeed).default([]),
});

export const connectWiseInstanceSeedSchema = z.object({
  companyId: z.string().min(1),
  publicKey: z.string().min(1),
  privateKey: z.string().min(1),
  /** Identifier of the API member the keys belong to. */
  apiMember: z.string().min(1).default("StintAPI"),
  companies: z.array(z.object({ id: recordId, identifier: z.string().min(1), name })).default([]),
  members: z
    .array(z.object({ id: recordId, identifier: z.string().min(1), firstName: name, lastName: name, primaryEmail: z.email(), officeEmail: z.email().optional() }))
    .default([]),
  /** Replaces the default board statuses; `closed` is the status's "Closed status" setting. */
  statuses: z.array(z.object({ id: recordId, name, closed: z.boolean() })).min(1).optional(),
  tickets: z.array(ticketSeed).default([]),
});

export const psaTicketStatusSchema = z.object({ status: z.string().min(1) });

export const psaRateLimitSchema = z.object({
  /** How many of the next calls (the token endpoint's included) answer 429. */
  calls: z.number().int().min(0),
  retryAfterSeconds: z.number().int().min(0).default(30),
});

export type PsaTicketSeed = z.output<typeof ticketSeed>;
export type HaloInstanceSeed = z.input<typeof haloInstanceSeedSchema>;
export type ConnectWiseInstanceSeed = z.input<typeof connectWiseInstanceSeedSchema>;
export type PsaTicketStatusInput = z.input<typeof psaTicketStatusSchema>;
export type PsaRateLimitInput = z.input<typeof psaRateLimitSchema>;
