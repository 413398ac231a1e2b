import { operations } from "@/lib/api/v1/operations";
import { apiRoute } from "@/lib/http/api-route";
import { reportLeakedToken } from "@/lib/services/tokens/report-leaked";

/** No authentication and no origin check (secret scanners call it); rate-limited per client address by apiRoute. */
export const POST = apiRoute(operations.reportLeakedToken, async ({ body, request }) => reportLeakedToken(body, request));
