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

// ---------------------------------------------------------------- groups of people

/** A member as GET /api/v1/groups/{id} lists them. */
export interface GroupMember {
  id: string;
  display_name: string;
  unit_name: string | null;
  status: PersonStatus;
}

/** GET /api/v1/groups (permission `people.read`); changed with `people.manage`. */
export interface Group {
  id: string;
  name: string;
  description: string;
  member_count: number;
  created_at: string;
  updated_at: string;
}

/** One group with its members (GET/PATCH /api/v1/groups/{id} and the member calls). */
export interface GroupDetail extends Group {
  members: GroupMember[];
}

// ---------------------------------------------------------------- documents

export type DocRight = 'view' | 'edit' | 'manage';
export type SpaceKind = 'personal' | 'unit' | 'meeting' | 'sitting' | 'item' | 'body';

export interface PersonRef {
  id: string;
  display_name: string;
}

export interface DocSpace {
  id: string;
  kind: SpaceKind;
  name: string;
  root_id: string;
  right: DocRight;
  /** null: no limit. */
  quota_bytes: number | null;
  used_bytes: number;
}

export interface DocNode {
  id: string;
  space_id: string;
  /** null for the root folder of a space. */
  parent_id: string | null;
  kind: 'folder' | 'file';
  name: string;
  size: number;
  content_type: string;
  /** Files: the current version's number. */
  version: number;
  sha256: string;
  /** The SHA-256 in groups, for reading aloud and comparing. */
  fingerprint: string;
  created_at: string;
  updated_at: string;
  updated_by: PersonRef | null;
  right: DocRight;
  legal_hold: boolean;
  /** Why the legal hold was placed (when there is one). */
  hold_reason?: string | null;
  deleted_at: string | null;
}

/** GET /documents/nodes/{id}: the node, its ancestors (root first) and its space. */
export interface DocNodeDetail extends DocNode {
  path: { id: string; name: string }[];
  space: DocSpace;
}

export interface DocTrashItem extends DocNode {
  purge_at: string | null;
}

export interface DocSearchHit extends DocNode {
  space_name: string;
  snippet: string;
}

export interface DocVersion {
  number: number;
  size: number;
  sha256: string;
  fingerprint: string;
  content_type: string;
  created_at: string;
  created_by: PersonRef | null;
  restored_from: number | null;
}

export type AudienceKind = 'person' | 'unit' | 'body';

export interface DocAudience {
  kind: AudienceKind;
  id: string;
  name: string;
  detail?: string;
}

export interface DocShare {
  id: string;
  audience: DocAudience;
  right: DocRight;
  /** Comes with the space (its owner, the unit's members): cannot be taken away here. */
  inherent?: boolean;
  created_at: string;
}

export interface DocLink {
  id: string;
  /** Only in the answer to its creation: the path `/s/<token>`. */
  url?: string;
  expires_at: string | null;
  has_password: boolean;
  created_at: string;
  /** How many times the file was downloaded through the link. */
  downloads?: number;
}

export interface PublicLinkInfo {
  name: string;
  size: number;
  content_type: string;
  needs_password: boolean;
  expires_at: string | null;
}

export type DocAction =
  | 'uploaded'
  | 'version'
  | 'version-restored'
  | 'deleted'
  | 'restored'
  | 'shared' | 'unshared' | 'renamed' | 'folder';

export interface DocActivity {
  id: string;
  action: DocAction;
  node_id: string;
  name: string;
  space: { id: string; name: string };
  actor: PersonRef | null;
  at: string;
}

export interface UploadSession {
  id: string;
  received: number;
  size: number;
  chunk_size?: number;
}

// ---------------------------------------------------------------- workspace

/** GET /api/v1/rooms: the caller's personal room and the meeting rooms they may use. */
export interface Room {
  id: string;
  kind: 'personal' | 'meeting';
  name: string;
  description: string;
  owner_id: string | null;
  unit: { id: string; name: string } | null;
  capacity: number | null;
  lobby: boolean;
  member_count: number;
  /** The caller looks after it: an administrator, or the head of its unit. */
  may_manage: boolean;
  created_at: string;
  updated_at: string;
}

export type MeetingResponse = 'needs-action' | 'accepted' | 'tentative' | 'declined';

export interface MeetingInvitee {
  id: string;
  display_name: string;
  /** How they came to be invited: `organiser`, `person:<id>`, `unit:<id>`, `body:<id>`, `group:<id>`. */
  via: string;
  response: MeetingResponse;
  comment: string;
  responded_at: string | null;
}

/** Someone (or the room) already busy at the time of a meeting just created or changed. */
export interface MeetingConflict {
  kind: 'person' | 'room';
  id: string;
  name: string;
  meeting_id: string;
  meeting_title: string;
  starts_at: string;
  ends_at: string;
}

/** What a meeting and one row of the list of occurrences have in common. */
export interface MeetingBase {
  id: string;
  uid: string;
  title: string;
  agenda: string;
  room: { id: string; name: string };
  organiser: PersonRef;
  /** IANA zone the meeting's wall time is in. */
  time_zone: string;
  /** Wall time of the first occurrence in `time_zone`: `2026-12-01T10:00`. */
  start: string;
  /** Seconds. */
  duration: number;
  starts_at: string;
  ends_at: string;
  rrule: string | null;
  status: 'scheduled' | 'cancelled';
  sequence: number;
  documents_folder_id: string | null;
  created_at: string;
  updated_at: string;
}

/** GET/POST/PATCH /api/v1/meetings/{id}. */
export interface Meeting extends MeetingBase {
  invitees: MeetingInvitee[];
  next_occurrences: string[];
  conflicts: MeetingConflict[];
  my_response: MeetingResponse | null;
  my_reminders: number[];
  my_reminders_custom: boolean;
  may_edit: boolean;
}

/** One occurrence in GET /api/v1/meetings. */
/** One occurrence in GET /api/v1/meetings (the agenda and the rest are on the meeting). */
export interface MeetingSummary
  extends Pick<MeetingBase, 'id' | 'title' | 'room' | 'organiser' | 'time_zone' | 'duration' | 'rrule' | 'status'> {
  occurrence: { starts_at: string; ends_at: string };
  my_response: MeetingResponse | null;
  join_open: boolean;
}

export type DirectoryKind = 'person' | 'unit' | 'body' | 'group';

/** GET /api/v1/directory?q=: people, units, bodies and groups by name. */
export interface DirectoryEntry {
  kind: DirectoryKind;
  id: string;
  name: string;
  /** A person's unit. */
  detail: string;
}

export type NotificationKind =
  | 'meeting.invited'
  | 'meeting.changed'
  | 'meeting.cancelled'
  | 'meeting.response'
  | 'meeting.reminder'
  | 'meeting.uninvited'
  | 'chat.mention'
  | 'call.missed'
  | 'call.declined';

/** "Call a colleague now": an instant meeting in the caller's personal room. */
export interface Call {
  id: string;
  meeting_id: string;
  room_id: string;
  caller: { id: string; display_name: string };
  callee: { id: string; display_name: string };
  state: 'ringing' | 'accepted' | 'declined' | 'missed' | 'cancelled' | 'ended';
  /** The callee's word when declining. */
  message: string;
  created_at: string;
  answered_at: string | null;
  ended_at: string | null;
}

export interface AppNotification {
  id: string;
  kind: NotificationKind | string;
  title: string;
  body: string;
  /** An app path (`/meetings/12`), or empty. */
  link: string;
  /**
   * What the text is made of, so that it can be said in the reader's language (`{}` in older
   * rows: then `body`, in English, is shown). See `notificationText`.
   */
  data?: Record<string, unknown>;
  created_at: string;
  read_at: string | null;
}

/** GET/POST /api/v1/{meetings|rooms}/{id}/messages: one message of a conversation. */
export interface ChatMessage {
  id: string;
  author: PersonRef;
  /** Plain text (never HTML); "" once removed. */
  body: string;
  document: { id: string; name: string } | null;
  /** Ids of the people mentioned. */
  mentions: string[];
  created_at: string;
  deleted: boolean;
}
