import { directoryTimestamp } from "../../state";
import { findMemberByIdentifier, type ConnectWiseInstance, type CwCompany, type CwMember, type CwNote, type CwTicket, type CwTimeEntry } from "./instance";

/**
 * ConnectWise's JSON for the records the emulator keeps: references as `{ id, identifier, name }`, timestamps
 * second-precision UTC, null fields left out.
 */

function memberReference(instance: ConnectWiseInstance, identifier: string): Record<string, unknown> {
  const member = findMemberByIdentifier(instance, identifier);
  return member ? { id: member.id, identifier: member.identifier, name: `${member.firstName} ${member.lastName}` } : { id: 0, identifier, name: identifier };
}

export function companyReference(company: CwCompany | undefined): Record<string, unknown> {
  return { id: company?.id ?? 0, identifier: company?.identifier ?? "", name: company?.name ?? "" };
}

export function ticketView(instance: ConnectWiseInstance, ticket: CwTicket): Record<string, unknown> {
  const status = instance.statuses.get(ticket.statusId);
  return {
    id: ticket.id,
    summary: ticket.summary,
    recordType: "ServiceTicket",
    board: { id: 1, name: "Service Board" },
    status: { id: ticket.statusId, name: status?.name ?? "" },
    company: companyReference(instance.companies.get(ticket.companyId)),
    ...(ticket.owner ? { owner: memberReference(instance, ticket.owner), resources: ticket.owner } : {}),
    closedFlag: status?.closed ?? false,
    dateEntered: ticket.dateEntered,
    _info: { lastUpdated: directoryTimestamp() },
  };
}

export function companyView(company: CwCompany): Record<string, unknown> {
  return { id: company.id, identifier: company.identifier, name: company.name, status: { id: 1, name: "Active" }, deletedFlag: false };
}

export function memberView(member: CwMember): Record<string, unknown> {
  return {
    id: member.id,
    identifier: member.identifier,
    firstName: member.firstName,
    lastName: member.lastName,
    primaryEmail: member.primaryEmail,
    ...(member.officeEmail ? { officeEmail: member.officeEmail } : {}),
    inactiveFlag: false,
  };
}

export function noteView(instance: ConnectWiseInstance, note: CwNote): Record<string, unknown> {
  return {
    id: note.id,
    ticketId: note.ticketId,
    text: note.text,
    detailDescriptionFlag: note.detailDescriptionFlag,
    internalAnalysisFlag: note.internalAnalysisFlag,
    resolutionFlag: note.resolutionFlag,
    member: memberReference(instance, note.member),
    dateCreated: note.dateCreated,
    createdBy: note.member,
  };
}

export function timeEntryView(instance: ConnectWiseInstance, entry: CwTimeEntry): Record<string, unknown> {
  const ticket = instance.tickets.get(entry.chargeToId);
  return {
    id: entry.id,
    company: companyReference(ticket && instance.companies.get(ticket.companyId)),
    chargeToId: entry.chargeToId,
    chargeToType: entry.chargeToType,
    member: memberReference(instance, entry.member),
    timeStart: entry.timeStart,
    timeEnd: entry.timeEnd,
    actualHours: entry.actualHours,
    billableOption: "Billable",
    notes: entry.notes,
    dateEntered: entry.dateEntered,
  };
}
