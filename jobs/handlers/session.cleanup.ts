import { cleanupExpired } from "@/lib/services/sessions/cleanup";

export async function handleSessionCleanup() {
  return cleanupExpired();
}
