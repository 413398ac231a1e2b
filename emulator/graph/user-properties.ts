import type { FilterCapabilities } from "./odata/filter";

/** What GET returns without `$select`. */
export const defaultUserProperties = [
  "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
  "preferredLanguage", "surname", "userPrincipalName", "id",
] as const;

const stringProperties = [
  "displayName", "givenName", "surname", "jobTitle", "mail", "mailNickname", "mobilePhone", "officeLocation",
  "preferredLanguage", "userPrincipalName", "usageLocation", "employeeId", "employeeType", "companyName",
  "department", "city", "country", "state", "streetAddress", "postalCode", "passwordPolicies", "userType",
];

export const writableUserProperties = new Set([
  ...stringProperties, "accountEnabled", "businessPhones", "otherMails", "passwordProfile", "onPremisesExtensionAttributes",
]);

const readOnlyUserProperties = new Set([
  "id", "createdDateTime", "deletedDateTime", "signInSessionsValidFromDateTime", "lastPasswordChangeDateTime",
  "proxyAddresses", "creationType",
]);

export const stringUserProperties = new Set(stringProperties);

export const requiredOnCreate = ["accountEnabled", "displayName", "mailNickname", "passwordProfile", "userPrincipalName"] as const;

/**
 * These need an admin role the app does not have when the target user holds a privileged role
 * (learn `user-update`, "sensitive user properties").
 */
export const sensitiveUserProperties = new Set([
  "accountEnabled", "businessPhones", "mobilePhone", "otherMails", "passwordProfile", "userPrincipalName",
]);

const extensionAttributeNames = Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`);

/**
 * Extension properties: schema extensions (`ext1a2b3c4d_name` or `{domain}_name`, complex values) and
 * directory extensions (`extension_{appIdNoDashes}_{name}`, primitive values). The emulator accepts them without
 * prior registration of the extension definition.
 */
export function isExtensionProperty(name: string): boolean {
  return /^extension_[0-9a-f]{32}_[A-Za-z0-9_]+$/i.test(name) || /^[a-z][a-z0-9]*_[A-Za-z0-9]+$/i.test(name);
}

export function isSchemaExtension(name: string): boolean {
  return isExtensionProperty(name) && !/^extension_/i.test(name);
}

export function isKnownUserProperty(name: string): boolean {
  return writableUserProperties.has(name) || readOnlyUserProperties.has(name) || isExtensionProperty(name);
}

export function isReadOnlyUserProperty(name: string): boolean {
  return readOnlyUserProperties.has(name);
}

export function emptyExtensionAttributes(): Record<string, string | null> {
  return Object.fromEntries(extensionAttributeNames.map((n) => [n, null]));
}

export function isExtensionAttributeName(name: string): boolean {
  return extensionAttributeNames.includes(name);
}

const basic = new Set(["eq", "in", "startswith"]);
const equalityOnly = new Set(["eq", "in"]);
const filterable: Record<string, ReadonlySet<string>> = {
  id: equalityOnly,
  userPrincipalName: basic,
  displayName: basic,
  givenName: basic,
  surname: basic,
  mail: basic,
  mailNickname: basic,
  jobTitle: basic,
  employeeId: basic,
  employeeType: basic,
  companyName: basic,
  department: basic,
  usageLocation: basic,
  userType: equalityOnly,
  accountEnabled: equalityOnly,
  createdDateTime: new Set(["eq", "in", "ge", "le"]),
};

export const userFilterCapabilities: FilterCapabilities = {
  resource: "User",
  basicOperators(property) {
    if (filterable[property]) return filterable[property];
    // Extension values filter as plain clauses (CIPP filters `<ext>/jitAdminEnabled eq true`).
    const [head = ""] = property.split("/");
    if (isExtensionProperty(head)) return equalityOnly;
    return undefined;
  },
  advancedOnly: (property) => /^onPremisesExtensionAttributes\/extensionAttribute([1-9]|1[0-5])$/i.test(property),
};

export const sortableUserProperties = new Set(["displayName", "userPrincipalName"]);
