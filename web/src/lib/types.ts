// Types of the HTTP API v1 (docs/api.md). Ids are strings, times RFC 3339 UTC strings.

export type Locale = 'bg' | 'pl' | 'en';
export type PersonKind = 'employee' | 'councillor' | 'guest';
export type PersonStatus = 'pending' | 'active' | 'disabled';
export type RoleName = 'administrator' | 'clerk' | 'chair' | 'councillor' | 'employee' | 'guest';

export interface RoleGrant {
  role: RoleName;
  scope_kind: 'organisation' | 'unit' | 'body';
  scope_id: string | null;
}

export interface Person {
  id: string;
  access_code: string;
  display_name: string;
  email: string | null;
  kind: PersonKind;
  unit_id: string | null;
  unit_name: string | null;
  locale: Locale;
  status: PersonStatus;
  totp_enabled: boolean;
  roles: RoleGrant[];
  permissions: string[];
  created_at: string;
}

export interface Session {
  person: Person;
  csrf_token: string;
  idle_expires_at: string;
  absolute_expires_at: string;
  totp_enrolment_required: boolean;
  /** The municipality's name (for the header). */
  organisation_name: string;
}

/** GET/PATCH /api/v1/settings (permission `settings.manage`). */
export interface Settings {
  organisation_name: string;
  code_prefix: string;
  locale: Locale;
  totp_required_roles: RoleName[];
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface TotpEnrolment {
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}

export interface SessionInfo {
  id: string;
  created_at: string;
  last_seen_at: string;
  user_agent: string;
  address: string;
  current: boolean;
}

export interface Unit {
  id: string;
  name: string;
  parent_id: string | null;
  kind: 'municipality' | 'department' | 'body';
}

/** What the server returns once when a person is created or their code is reset. */
export interface IssuedCode {
  person: Person;
  access_code: string;
  activation_secret: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target: string | null;
  address: string | null;
  details: Record<string, unknown>;
}

export interface ApiToken {
  id: string;
  name: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}
