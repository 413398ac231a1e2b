import { closeDb } from "@/db/client";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { createCustomer } from "@/lib/services/customers/create";
import { contextFor, inviteMember, runSetup } from "@/test/factories";
import { insertGrantWithExposure } from "@/test/grant-rows";

const HOUR = 3600_000;

/**
 * An MSP as the console shows it after some weeks of use: an owner, three technicians, four customers, and
 * grants live now (the Grants page's default view, the overview's live list) and ended over the last
 * weeks (the overview's exposure charts). Answers the owner's session token. Needs lib/env's configuration
 * (the database, SETUP_CODE) in the environment before it is imported.
 */
export async function seedConsole(): Promise<string> {
  // Through first-run setup, as a real install: until it has run, the sign-in page sends people to /setup.
  const msp = await runSetup({ mspName: "Northwind IT Services", ownerName: "Olivia Owner" });
  const ownerCtx = contextFor(msp.owner);
  const technicians = [];
  for (const displayName of ["Rita Technician", "Sam Second", "Tariq Third"]) technicians.push(await inviteMember(msp.owner, "technician", { displayName }));
  const level = await createAccessLevel(ownerCtx, { name: "Helpdesk", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] });
  const customers = [];
  for (const name of ["Contoso Pharma", "Fabrikam Logistics", "Adatum Legal", "Tailspin Toys"]) customers.push((await createCustomer(ownerCtx, { name })).id);
  const now = Date.now();
  for (let i = 0; i < 4; i++) {
    await insertGrantWithExposure({
      mspId: msp.mspId, customerId: customers[i]!, memberId: technicians[i % technicians.length]!.id, state: "active", accessLevelIds: [level.id],
      usableFrom: new Date(now - (i + 1) * 0.25 * HOUR), endsAt: new Date(now + (i + 1) * HOUR), justification: `Ticket work for customer ${i + 1}`, ticketRef: `T-${4100 + i}`,
    });
  }
  for (let day = 1; day <= 20; day++) {
    const from = new Date(now - day * 24 * HOUR);
    await insertGrantWithExposure({
      mspId: msp.mspId, customerId: customers[day % customers.length]!, memberId: technicians[day % technicians.length]!.id, state: day % 5 === 0 ? "revoked" : "ended",
      accessLevelIds: [level.id], usableFrom: from, usableTo: new Date(from.getTime() + ((day % 3) + 1) * HOUR), endReason: day % 5 === 0 ? "revoked" : "expired",
    });
  }
  await insertGrantWithExposure({ mspId: msp.mspId, customerId: customers[0]!, memberId: technicians[1]!.id, state: "failed", usableFrom: null });
  await closeDb();
  return msp.owner.session.token;
}
