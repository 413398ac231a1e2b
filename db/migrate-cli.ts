import { requireOwnerDatabaseUrl } from "@/lib/env";
import { runMigrations } from "./migrate";

await runMigrations(requireOwnerDatabaseUrl());
console.log("migrations applied");
