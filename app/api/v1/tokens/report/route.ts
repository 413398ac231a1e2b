import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { reportLeakedToken } from "@/lib/services/tokens/report-leaked";

/** No authentication and no origin check (secret scanners call it); rate-limited per client address by the wrapper. */
export const POST = route(operations.reportLeakedToken, async ({ body, request }) => reportLeakedToken(body, request));
