import { z } from "zod";
import type { Call } from "../http/call";
import { jsonReply, type Reply } from "../http/reply";
import { Router } from "../http/router";
import type { RequestLogEntry } from "../state";
import { ControlError, type EmulatorControl, type PsaKindName } from "./control";
import {
  roleAssignmentSchema, type AppSeed, type ConsentInput, type EmulatorOptionsInput, type GroupSeed, type ServicePrincipalInput, type TenantSeed,
  type TenantSettingsInput, type UserSeed,
} from "./schemas";
import type { MisbehaviourInput } from "../misbehaviour/settings";
import type { TapPolicyInput } from "../tap/policy";
import type { ConnectWiseInstanceSeed, HaloInstanceSeed, PsaRateLimitInput, PsaTicketStatusInput } from "./psa-schemas";

type ControlHandler = (body: unknown, params: Record<string, string>, query: URLSearchParams) => unknown;

const surfaces = new Set<RequestLogEntry["surface"]>(["login", "graph", "portal", "control", "halo", "connectwise"]);

function psaKind(kind: string): PsaKindName {
  const lower = kind.toLowerCase();
  if (lower !== "halo" && lower !== "connectwise") throw new ControlError(404, `No emulated PSA ${kind}: halo or connectwise.`);
  return lower;
}

/**
 * The HTTP face of {@link EmulatorControl} under `/_emulator`, only mounted with `testControl`. Bodies are validated
 * by the control operations themselves (zod), so the casts below only name the expected shape.
 */
export class ControlApi {
  private readonly router = new Router<ControlHandler>();

  constructor(control: EmulatorControl) {
    const p = (params: Record<string, string>, name: string) => params[name] ?? "";
    this.router
      .on("GET", "/_emulator/tenants", () => control.listTenants())
      .on("POST", "/_emulator/tenants", (body) => control.createTenant(body as TenantSeed))
      .on("GET", "/_emulator/tenants/:tenant", (_b, params) => control.inspectTenant(p(params, "tenant")))
      .on("POST", "/_emulator/tenants/:tenant/users", (body, params) => control.addUser(p(params, "tenant"), body as UserSeed))
      .on("POST", "/_emulator/tenants/:tenant/users/:user/roles", (body, params) =>
        control.assignRole(p(params, "tenant"), p(params, "user"), roleAssignmentSchema.parse(body).role),
      )
      .on("PUT", "/_emulator/tenants/:tenant/consents/:clientId", (body, params) =>
        ({ servicePrincipal: control.setConsent(p(params, "tenant"), p(params, "clientId"), body as ConsentInput) }),
      )
      .on("PUT", "/_emulator/tenants/:tenant/service-principals/:clientId", (body, params) =>
        control.setServicePrincipal(p(params, "tenant"), p(params, "clientId"), body as ServicePrincipalInput),
      )
      .on("PUT", "/_emulator/tenants/:tenant/misbehaviour", (body, params) => control.setMisbehaviour(p(params, "tenant"), body as MisbehaviourInput))
      .on("PUT", "/_emulator/tenants/:tenant/tap-policy", (body, params) => control.setTapPolicy(p(params, "tenant"), body as TapPolicyInput))
      .on("PUT", "/_emulator/tenants/:tenant/settings", (body, params) => control.setTenantSettings(p(params, "tenant"), body as TenantSettingsInput))
      .on("POST", "/_emulator/tenants/:tenant/groups", (body, params) => control.addGroup(p(params, "tenant"), body as GroupSeed))
      .on("GET", "/_emulator/apps", () => control.listApps())
      .on("POST", "/_emulator/apps", (body) => control.registerApp(body as AppSeed))
      .on("PUT", "/_emulator/psa/halo/:instance", (body, params) => control.putHaloInstance(p(params, "instance"), body as HaloInstanceSeed))
      .on("GET", "/_emulator/psa/halo/:instance", (_b, params) => control.inspectHaloInstance(p(params, "instance")))
      .on("POST", "/_emulator/psa/halo/:instance/expire-tokens", (_b, params) => control.expireHaloTokens(p(params, "instance")))
      .on("PUT", "/_emulator/psa/connectwise/:instance", (body, params) => control.putConnectWiseInstance(p(params, "instance"), body as ConnectWiseInstanceSeed))
      .on("GET", "/_emulator/psa/connectwise/:instance", (_b, params) => control.inspectConnectWiseInstance(p(params, "instance")))
      .on("PUT", "/_emulator/psa/:kind/:instance/tickets/:ticket/status", (body, params) =>
        control.setPsaTicketStatus(psaKind(p(params, "kind")), p(params, "instance"), Number(p(params, "ticket")), body as PsaTicketStatusInput),
      )
      .on("PUT", "/_emulator/psa/:kind/:instance/rate-limit", (body, params) =>
        control.setPsaRateLimit(psaKind(p(params, "kind")), p(params, "instance"), body as PsaRateLimitInput),
      )
      .on("PUT", "/_emulator/config", (body) => control.configure(body as EmulatorOptionsInput))
      .on("GET", "/_emulator/requests", (_b, _p, query) => {
        const surface = query.get("surface") as RequestLogEntry["surface"] | null;
        return control.requests({
          tenantId: query.get("tenantId") ?? undefined,
          surface: surface && surfaces.has(surface) ? surface : undefined,
        });
      })
      .on("POST", "/_emulator/reset", () => {
        control.reset();
        return { reset: true };
      });
  }

  handle(call: Call): Reply {
    const match = this.router.match(call.method, call.url.pathname);
    if (match.kind !== "found") {
      return jsonReply(match.kind === "not-found" ? 404 : 405, { error: { code: "NotFound", message: `No control operation ${call.method} ${call.url.pathname}.` } });
    }
    try {
      const body = call.body.length > 0 ? JSON.parse(call.body.toString("utf8")) : {};
      const result = match.handler(body, match.params, call.url.searchParams);
      return jsonReply(200, result);
    } catch (error) {
      if (error instanceof ControlError) return jsonReply(error.status, { error: { code: "ControlError", message: error.message } });
      if (error instanceof z.ZodError) return jsonReply(400, { error: { code: "ValidationFailed", message: z.prettifyError(error) } });
      if (error instanceof SyntaxError) return jsonReply(400, { error: { code: "InvalidJson", message: error.message } });
      throw error;
    }
  }
}
