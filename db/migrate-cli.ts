import { requireDatabaseUrl } from "@/lib/env";
import { runMigrations } from "./migrate";

await runMigrations(requireDatabaseUrl());
console.log("migrations applied");
