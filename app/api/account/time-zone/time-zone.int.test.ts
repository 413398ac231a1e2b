import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { appOrigin } from "@/lib/env";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { SESSION_COOKIE } from "@/lib/http/cookies";
import { resolveSession } from "@/lib/services/sessions/resolve";
import { freshIp } from "@/lib/services/tokens/test-helpers";
import { inviteMember, lastAudit, seedMspDirectly, type TestMember } from "@/test/factories";
import { PUT } from "./route";

let member: TestMember;
beforeAll(async () => {
  const msp = await seedMspDirectly({ mspName: "Time zone MSP" });
  member = await inviteMember(msp.owner, "technician");
});

/** PUT /api/account/time-zone as the console sends it: the member's session cookie, from the app's origin. */
async function save(body: unknown) {
  const req = new NextRequest(`${appOrigin}/api/account/time-zone`, {
    method: "PUT",
    headers: {
      cookie: `${SESSION_COOKIE}=${member.session.token}`,
      origin: appOrigin,
      "content-type": "application/json",
      [CLIENT_ADDRESS_HEADER]: freshIp(),
    },
    body: JSON.stringify(body),
  });
  const res = await PUT(req, { params: Promise.resolve({}) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const savedZone = async () => (await resolveSession(member.session.token))!.member.timeZone;

describe("PUT /api/account/time-zone", () => {
  it("saves a known zone, shown from then on, and audits the change", async () => {
    expect(await save({ timeZone: "Europe/Berlin" })).toEqual({ status: 200, json: { timeZone: "Europe/Berlin" } });
    expect(await savedZone()).toBe("Europe/Berlin");
    expect(await lastAudit("member.time_zone_changed", member.id)).toMatchObject({ actorId: member.id, metadata: { from: null, to: "Europe/Berlin" } });
  });

  it("stores another alias of a known zone by its listed name", async () => {
    expect((await save({ timeZone: "Etc/UTC" })).json).toEqual({ timeZone: "UTC" });
    expect(await savedZone()).toBe("UTC");
  });

  it("refuses an unknown zone with 422, naming the field, and keeps the saved one", async () => {
    await save({ timeZone: "America/New_York" });
    for (const timeZone of ["Mars/Olympus", "+01:00", ""]) {
      const { status, json } = await save({ timeZone });
      expect(status).toBe(422);
      expect(json).toEqual({ error: { code: "validation_failed", field: "timeZone", message: "timeZone: Not a known time zone (IANA name, e.g. Europe/Berlin)." } });
    }
    expect(await savedZone()).toBe("America/New_York");
  });

  it("goes back to the browser's zone with null", async () => {
    await save({ timeZone: "Asia/Tokyo" });
    expect(await save({ timeZone: null })).toEqual({ status: 200, json: { timeZone: null } });
    expect(await savedZone()).toBeNull();
    expect(await lastAudit("member.time_zone_changed", member.id)).toMatchObject({ metadata: { from: "Asia/Tokyo", to: null } });
  });
});
