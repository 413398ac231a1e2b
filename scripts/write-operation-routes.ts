import { writeFileSync } from "node:fs";
import path from "node:path";
import { operationList } from "@/lib/api/operations";

/**
 * Writes lib/api/operation-routes.ts, each operation's method and path, from the registry. Run it
 * (`npm run api:routes`) after adding an operation or changing one's path or method.
 */
const file = path.resolve(import.meta.dirname, "../lib/api/operation-routes.ts");
const rows = operationList.map((o) => `  ${o.id}: { method: "${o.method}", path: "${o.path}" },`);
const source = `// Written by \`npm run api:routes\` (scripts/write-operation-routes.ts) from lib/api/operations; do not edit.
import type { HttpMethod } from "@/lib/api/operation";
import type { OperationId } from "@/lib/api/operations";

/**
 * Each operation's method and path, all the console's client needs to make a call: the registry itself
 * carries every operation's zod schemas, which would add zod and the schemas to every page's JavaScript.
 * lib/api/operation-routes.test.ts keeps this equal to the registry.
 */
export const operationRoutes: Record<OperationId, { method: HttpMethod; path: string }> = {
${rows.join("\n")}
};
`;
writeFileSync(file, source);
console.log(`wrote ${path.relative(process.cwd(), file)} (${rows.length} operations)`);
