/** A duration in minutes as people read it: whole hours as "2 h", anything else as "90 min". */
export function formatMinutes(minutes: number): string {
  return minutes >= 60 && minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

/** Server messages name their field for API callers ("name: At least 2 characters."); beside the field that prefix is noise. */
export function withoutFieldPrefix(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}
