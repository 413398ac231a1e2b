/**
 * Entra's built-in directory roles Stint offers for access levels, by role template id (the same in
 * every tenant; Microsoft's permissions reference). `isPrivileged` follows the reference's PRIVILEGED
 * label; it matters because app-only credentials cannot disable or delete a user holding such a role.
 */
export type BuiltInRole = { templateId: string; displayName: string; isPrivileged: boolean };

export const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";

export const builtInRoles: readonly BuiltInRole[] = [
  { templateId: GLOBAL_ADMINISTRATOR, displayName: "Global Administrator", isPrivileged: true },
  { templateId: "fe930be7-5e62-47db-91af-98c3a49a38b1", displayName: "User Administrator", isPrivileged: true },
  { templateId: "729827e3-9c14-49f7-bb1b-9608f156bbb8", displayName: "Helpdesk Administrator", isPrivileged: true },
  { templateId: "29232cdf-9323-42fd-ade2-1d097af3e4de", displayName: "Exchange Administrator", isPrivileged: false },
  { templateId: "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", displayName: "SharePoint Administrator", isPrivileged: false },
  { templateId: "3a2c62db-5318-420d-8d74-23affee5d9d5", displayName: "Intune Administrator", isPrivileged: true },
  { templateId: "194ae4cb-b126-40b2-bd5b-6091b380977d", displayName: "Security Administrator", isPrivileged: true },
  { templateId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", displayName: "Global Reader", isPrivileged: true },
  { templateId: "e8611ab8-c189-46e8-94e1-60213ab1f814", displayName: "Privileged Role Administrator", isPrivileged: true },
  { templateId: "69091246-20e8-4a56-aa4d-066075b2a7a8", displayName: "Teams Administrator", isPrivileged: false },
  { templateId: "b0f54661-2d74-4c50-afa3-1ec803f12efe", displayName: "Billing Administrator", isPrivileged: false },
  { templateId: "c4e39bd9-1100-46d3-8c65-fb160da0071f", displayName: "Authentication Administrator", isPrivileged: true },
  { templateId: "158c047a-c907-4556-b7ef-446551a6b5f7", displayName: "Cloud Application Administrator", isPrivileged: true },
  { templateId: "4d6ac14f-3453-41d0-bef9-a3e0c569773a", displayName: "License Administrator", isPrivileged: false },
  { templateId: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", displayName: "Privileged Authentication Administrator", isPrivileged: true },
  { templateId: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", displayName: "Application Administrator", isPrivileged: true },
  { templateId: "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", displayName: "Conditional Access Administrator", isPrivileged: true },
  { templateId: "fdd7a751-b60b-444a-984c-02652fe8fa1c", displayName: "Groups Administrator", isPrivileged: false },
  { templateId: "966707d0-3269-4727-9be2-8c3a10f19b9d", displayName: "Password Administrator", isPrivileged: true },
  { templateId: "5d6b6bb7-de71-4623-b4af-96380a352509", displayName: "Security Reader", isPrivileged: true },
  { templateId: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", displayName: "Directory Readers", isPrivileged: false },
  { templateId: "f023fd81-a637-4b56-95fd-791ac0226033", displayName: "Service Support Administrator", isPrivileged: false },
];

const byId = new Map(builtInRoles.map((r) => [r.templateId, r]));

export function builtInRole(templateId: string): BuiltInRole | undefined {
  return byId.get(templateId);
}
