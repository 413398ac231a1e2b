/** The parts of Stint's /api/v1 answers the extension reads (the OpenAPI document has them whole). */
export type PairingStart = {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  expiresIn: number;
  interval: number;
};

/** What the popup may see of a pairing in progress: never the device code. */
export type PairingView = { userCode: string; verificationUri: string; expiresAt: string };

export type PairingPoll =
  | { status: "pending" }
  | { status: "approved"; token: string; tokenId: string; expiresAt: string; member: { email: string; displayName: string }; mspName: string };

export type Grant = {
  id: string;
  state: string;
  customerId: string;
  customer: { name: string };
  accessLevels: { id: string; name: string }[];
  upn: string;
  endsAt: string | null;
  usableTo: string | null;
  signInMethod: "tap" | "password";
  temporaryAccessPassExpiresAt: string | null;
  temporaryAccessPassRenewalError: string | null;
};

export type LaunchTicket = { ticket: string; expiresAt: string; signInUrl: string; tenantId: string };
export type LaunchCredential = {
  userPrincipalName: string;
  signInMethod: "tap" | "password";
  temporaryAccessPass: string | null;
  temporaryAccessPassExpiresAt: string | null;
  password: string | null;
  tenantId: string;
};
