import { decodeProtectedHeader, importX509, jwtVerify } from "jose";
import type { AppRegistration, Tenant } from "../state";
import type { StsError } from "./aadsts";

function invalidClient(code: number, message: string): StsError {
  return { status: 401, error: "invalid_client", code, message };
}

/**
 * Certificate credentials: a JWT signed with a certificate registered on the app, `iss` = `sub` = client id,
 * `aud` = the token endpoint that was called (the tenant's, by id or domain, or `organizations`/`common` for a code
 * redemption there). Returns the failure, or undefined when the assertion is good.
 */
export async function checkClientAssertion(
  assertion: string,
  app: AppRegistration,
  audience: { tenant: Tenant | undefined; segment: string },
): Promise<StsError | undefined> {
  let thumbprint: string | undefined;
  try {
    const header = decodeProtectedHeader(assertion);
    thumbprint = (header["x5t#S256"] as string | undefined) ?? header.x5t;
  } catch {
    return { status: 400, error: "invalid_request", code: 50027, message: "JWT token is invalid or malformed." };
  }
  const certificate = app.certificates.find((c) => c.thumbprintSha256 === thumbprint || c.thumbprintSha1 === thumbprint);
  if (!certificate) {
    return invalidClient(
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint ?? ""}']`,
    );
  }
  try {
    const key = await importX509(certificate.certificatePem, "RS256");
    const { payload } = await jwtVerify(assertion, key, { algorithms: ["RS256"] });
    if (payload.iss !== app.clientId || payload.sub !== app.clientId) {
      return invalidClient(700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
    }
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud ?? ""];
    const { tenant, segment } = audience;
    const names = tenant ? [tenant.id, ...tenant.domains.map((d) => d.id)] : [segment];
    const expected = names.map((t) => `/${t.toLowerCase()}/oauth2/v2.0/token`);
    const audienceOk = audiences.some((a) => {
      const pathname = URL.canParse(a) ? new URL(a).pathname.toLowerCase() : "";
      return expected.includes(pathname);
    });
    if (!audienceOk) return invalidClient(700027, "Client assertion contains an invalid audience.");
    return undefined;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_JWT_EXPIRED" || code === "ERR_JWT_CLAIM_VALIDATION_FAILED") {
      return invalidClient(700024, "Client assertion is not within its valid time range.");
    }
    return invalidClient(700027, "Client assertion failed signature validation.");
  }
}
