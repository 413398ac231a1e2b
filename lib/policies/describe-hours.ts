const dayNames = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** "Mon, Tue 08:00–18:00": a policy's hours in words. */
export function describeHours(hours: { days: readonly number[]; from: string; to: string }): string {
  return `${hours.days.map((d) => dayNames[d]).join(", ")} ${hours.from}–${hours.to}`;
}
