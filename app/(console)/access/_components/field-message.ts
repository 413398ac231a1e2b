import { withoutFieldPrefix } from "@/lib/format";

/** A server message shown beside its field: without the field's name, starting with a capital. */
export function fieldMessage(message: string, field: string): string {
  const text = withoutFieldPrefix(message, field);
  return text.charAt(0).toUpperCase() + text.slice(1);
}
