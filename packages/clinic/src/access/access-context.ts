export const ROLES = ['reader', 'clerk', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** reader < clerk < admin: each role may do what the ones before it may. */
export const roleAllows = (role: Role, required: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf(required);

/** Who is asking, in which request: what every service call is audited with. */
export interface AccessContext {
  readonly keyId: string;
  readonly role: Role;
  readonly requestId: string;
}
