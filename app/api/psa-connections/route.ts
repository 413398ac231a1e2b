import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { listPsaConnections } from "@/lib/services/psa/list";
import { savePsaConnection } from "@/lib/services/psa/save";

export const GET = route(operations.listPsaConnections, async ({ ctx }) => ({ items: await listPsaConnections(ctx) }));

export const PUT = route(operations.savePsaConnection, async ({ ctx, rawBody }) => savePsaConnection(ctx, rawBody));
