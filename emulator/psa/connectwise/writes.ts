import { z } from "zod";
import type { Reply } from "../../http/reply";
import { jsonReply } from "../../http/reply";
import { directoryTimestamp } from "../../state";
import { cwError, invalidObject } from "./errors";
import { findMemberByIdentifier, type ConnectWiseInstance, type CwNote, type CwTimeEntry } from "./instance";
import { noteView, timeEntryView } from "./views";

const memberRef = z.object({ identifier: z.string().min(1) }).optional();
const dateTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), "is not a date and time");

const noteInput = z.object({
  text: z.string().trim().min(1, "The text field is required."),
  detailDescriptionFlag: z.boolean().default(false),
  internalAnalysisFlag: z.boolean().default(false),
  resolutionFlag: z.boolean().default(false),
  member: memberRef,
});

const timeEntryInput = z.object({
  chargeToId: z.number().int().positive(),
  chargeToType: z.enum(["ServiceTicket", "ProjectTicket", "ChargeCode", "Activity"]),
  member: memberRef,
  timeStart: dateTime,
  timeEnd: dateTime.optional(),
  actualHours: z.number().positive().optional(),
  notes: z.string().default(""),
});

/** The first problem of a body as ConnectWise reports an invalid object. */
function firstIssue(resource: string, error: z.ZodError): Reply {
  const issue = error.issues[0];
  const field = issue?.path.join("/") || "body";
  return invalidObject(resource, field, issue?.message === "Required" ? `The ${field} field is required.` : `${field} ${issue?.message ?? "is invalid"}`);
}

/** The member a write names (by identifier), or the API member; a Reply when the named member does not exist. */
function author(instance: ConnectWiseInstance, resource: string, member: { identifier: string } | undefined): string | Reply {
  if (!member) return instance.apiMember;
  return findMemberByIdentifier(instance, member.identifier)?.identifier ?? invalidObject(resource, "member", `Member ${member.identifier} was not found.`);
}

/** `POST /service/tickets/{id}/notes`. */
export function addNote(instance: ConnectWiseInstance, ticketId: number, body: unknown): Reply {
  if (!instance.tickets.has(ticketId)) return cwError(404, "NotFound", `Ticket ${ticketId} not found`);
  const parsed = noteInput.safeParse(body);
  if (!parsed.success) return firstIssue("ticketNote", parsed.error);
  const member = author(instance, "ticketNote", parsed.data.member);
  if (typeof member !== "string") return member;
  const note: CwNote = {
    id: instance.notes.length + 1,
    ticketId,
    text: parsed.data.text,
    detailDescriptionFlag: parsed.data.detailDescriptionFlag,
    internalAnalysisFlag: parsed.data.internalAnalysisFlag,
    resolutionFlag: parsed.data.resolutionFlag,
    member,
    dateCreated: directoryTimestamp(),
  };
  instance.notes.push(note);
  return jsonReply(201, noteView(instance, note));
}

/** `POST /time/entries`, charged to a service ticket (the only charge the emulator keeps). */
export function addTimeEntry(instance: ConnectWiseInstance, body: unknown): Reply {
  const parsed = timeEntryInput.safeParse(body);
  if (!parsed.success) return firstIssue("timeEntry", parsed.error);
  const input = parsed.data;
  if (input.chargeToType !== "ServiceTicket") return invalidObject("timeEntry", "chargeToType", `Charging time to ${input.chargeToType} is not emulated.`);
  if (!instance.tickets.has(input.chargeToId)) return invalidObject("timeEntry", "chargeToId", `Service ticket ${input.chargeToId} was not found.`);
  const member = author(instance, "timeEntry", input.member);
  if (typeof member !== "string") return member;
  const start = new Date(input.timeStart);
  const end = input.timeEnd ? new Date(input.timeEnd) : input.actualHours ? new Date(start.getTime() + input.actualHours * 3_600_000) : null;
  if (!end) return invalidObject("timeEntry", "timeEnd", "Either timeEnd or actualHours is required.");
  if (end.getTime() <= start.getTime()) return invalidObject("timeEntry", "timeEnd", "timeEnd must be after timeStart.");
  const entry: CwTimeEntry = {
    id: instance.timeEntries.length + 1,
    chargeToId: input.chargeToId,
    chargeToType: "ServiceTicket",
    member,
    timeStart: directoryTimestamp(start),
    timeEnd: directoryTimestamp(end),
    actualHours: Math.round(((end.getTime() - start.getTime()) / 3_600_000) * 100) / 100,
    notes: input.notes,
    dateEntered: directoryTimestamp(),
  };
  instance.timeEntries.push(entry);
  return jsonReply(201, timeEntryView(instance, entry));
}
