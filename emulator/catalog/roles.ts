/** A built-in directory role as Graph lists it in roleManagement/directory/roleDefinitions. */
export interface RoleTemplate {
  templateId: string;
  displayName: string;
  description: string;
  /** The "PRIVILEGED" label of the permissions reference (beta `isPrivileged`); drives the app-only restriction. */
  isPrivileged: boolean;
}

// Template ids as Microsoft Entra's built-in roles reference lists them:
// https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference
export const builtInRoles: readonly RoleTemplate[] = [
  { templateId: "62e90394-69f5-4237-9190-012177145e10", displayName: "Global Administrator", isPrivileged: true,
    description: "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities." },
  { templateId: "fe930be7-5e62-47db-91af-98c3a49a38b1", displayName: "User Administrator", isPrivileged: true,
    description: "Can manage all aspects of users and groups, including resetting passwords for limited admins." },
  { templateId: "729827e3-9c14-49f7-bb1b-9608f156bbb8", displayName: "Helpdesk Administrator", isPrivileged: true,
    description: "Can reset passwords for non-administrators and Helpdesk Administrators." },
  { templateId: "29232cdf-9323-42fd-ade2-1d097af3e4de", displayName: "Exchange Administrator", isPrivileged: false,
    description: "Can manage all aspects of the Exchange product." },
  { templateId: "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", displayName: "SharePoint Administrator", isPrivileged: false,
    description: "Can manage all aspects of the SharePoint service." },
  { templateId: "3a2c62db-5318-420d-8d74-23affee5d9d5", displayName: "Intune Administrator", isPrivileged: true,
    description: "Can manage all aspects of the Intune product." },
  { templateId: "194ae4cb-b126-40b2-bd5b-6091b380977d", displayName: "Security Administrator", isPrivileged: true,
    description: "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365." },
  { templateId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", displayName: "Global Reader", isPrivileged: true,
    description: "Can read everything that a Global Administrator can, but not update anything." },
  { templateId: "e8611ab8-c189-46e8-94e1-60213ab1f814", displayName: "Privileged Role Administrator", isPrivileged: true,
    description: "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management." },
  { templateId: "69091246-20e8-4a56-aa4d-066075b2a7a8", displayName: "Teams Administrator", isPrivileged: false,
    description: "Can manage the Microsoft Teams service." },
  { templateId: "b0f54661-2d74-4c50-afa3-1ec803f12efe", displayName: "Billing Administrator", isPrivileged: false,
    description: "Can perform common billing related tasks like updating payment information." },
  { templateId: "c4e39bd9-1100-46d3-8c65-fb160da0071f", displayName: "Authentication Administrator", isPrivileged: true,
    description: "Can access to view, set and reset authentication method information for any non-admin user." },
  { templateId: "158c047a-c907-4556-b7ef-446551a6b5f7", displayName: "Cloud Application Administrator", isPrivileged: true,
    description: "Can create and manage all aspects of app registrations and enterprise apps except App Proxy." },
  { templateId: "4d6ac14f-3453-41d0-bef9-a3e0c569773a", displayName: "License Administrator", isPrivileged: false,
    description: "Can manage product licenses on users and groups." },
  { templateId: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", displayName: "Privileged Authentication Administrator", isPrivileged: true,
    description: "Can access to view, set and reset authentication method information for any user (admin or non-admin)." },
  { templateId: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", displayName: "Application Administrator", isPrivileged: true,
    description: "Can create and manage all aspects of app registrations and enterprise apps." },
  { templateId: "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", displayName: "Conditional Access Administrator", isPrivileged: true,
    description: "Can manage Conditional Access capabilities." },
  { templateId: "fdd7a751-b60b-444a-984c-02652fe8fa1c", displayName: "Groups Administrator", isPrivileged: false,
    description: "Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports." },
  { templateId: "966707d0-3269-4727-9be2-8c3a10f19b9d", displayName: "Password Administrator", isPrivileged: true,
    description: "Can reset passwords for non-administrators and Password Administrators." },
  { templateId: "5d6b6bb7-de71-4623-b4af-96380a352509", displayName: "Security Reader", isPrivileged: true,
    description: "Can read security information and reports in Microsoft Entra ID and Office 365." },
  { templateId: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", displayName: "Directory Readers", isPrivileged: false,
    description: "Can read basic directory information. Commonly used to grant directory read access to applications and guests." },
  { templateId: "f023fd81-a637-4b56-95fd-791ac0226033", displayName: "Service Support Administrator", isPrivileged: false,
    description: "Can read service health information and manage support tickets." },
];

export const roleTemplateIds = {
  globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  privilegedAuthenticationAdministrator: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
} as const;

const byId = new Map(builtInRoles.map((r) => [r.templateId, r]));

export function findRole(templateId: string): RoleTemplate | undefined {
  return byId.get(templateId.toLowerCase());
}

/** The roleDefinition resource; for built-in roles `id` equals `templateId`, as Graph answers them. */
export function roleDefinitionResource(role: RoleTemplate): Record<string, unknown> {
  return {
    id: role.templateId,
    description: role.description,
    displayName: role.displayName,
    isBuiltIn: true,
    isEnabled: true,
    resourceScopes: ["/"],
    templateId: role.templateId,
    version: "1",
    rolePermissions: [],
  };
}
