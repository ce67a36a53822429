// The council: bodies, memberships, sittings, agendas, attendance, votes — the API's shapes
// (docs/openapi.json, tag "council"), its paths, the words for its states and majority rules
// in the reader's language, and following a sitting live (`council:<sitting id>`).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, query } from './api';
import { formatNumber, t, tMaybe } from './i18n';
import { watch } from './realtime';

const enc = encodeURIComponent;

// ---------------------------------------------------------------- shapes

/** The question of a vote as the reader should see it (a vote on the agenda says what it
 * would do to the item, in the reader's language). */
export function voteTitle(v: { title: string; agenda_change?: { kind: 'add' | 'withdraw' | 'move' } | null }): string {
  return v.agenda_change ? t(`council.agenda_vote.${v.agenda_change.kind}`, { title: v.title }) : v.title;
}

/** What the caller may do in a body (and, in a sitting, whether they are registered present). */
export interface CouncilStanding {
  roles: string[];
  /** Administrators and the organisation's clerks: set up bodies and memberships. */
  administers: boolean;
  /** Chair or deputy chair. */
  presides: boolean;
  /** The body's clerk. */
  clerks: boolean;
  /** A member with a vote. */
  votes: boolean;
  present?: boolean;
}

export type BodyKind = 'council' | 'standing_committee' | 'temporary_committee';
export type Jurisdiction = 'bg' | 'pl';

export interface CouncilGroup {
  id: string;
  name: string;
  short_name: string;
}

export interface CouncilBody {
  id: string;
  name: string;
  kind: BodyKind;
  jurisdiction: Jurisdiction;
  seats: number;
  term_start: string;
  term_end: string | null;
  time_zone: string;
  parent_id: string | null;
  vote_change: boolean;
  camera_required: boolean;
  groups?: CouncilGroup[];
  me?: CouncilStanding;
}

export type MemberRole = 'member' | 'chair' | 'deputy_chair' | 'clerk';
export const MEMBER_ROLES: MemberRole[] = ['member', 'chair', 'deputy_chair', 'clerk'];

export interface CouncilMember {
  id: string;
  body_id: string;
  person: { id: string; display_name: string };
  role: MemberRole;
  seat: string;
  group: { id: string; name: string } | null;
  from_date: string;
  to_date: string | null;
}

export type SittingStatus = 'scheduled' | 'open' | 'closed' | 'cancelled';
export type SittingMode = 'in_person' | 'remote' | 'hybrid';
export type SittingKind = 'regular' | 'extraordinary';
export const SITTING_MODES: SittingMode[] = ['in_person', 'hybrid', 'remote'];
export const SITTING_KINDS: SittingKind[] = ['regular', 'extraordinary'];

export interface Sitting {
  id: string;
  body: { id: string; name: string; jurisdiction: Jurisdiction; seats: number };
  number: number;
  kind: SittingKind;
  mode: SittingMode;
  title: string;
  place: string;
  time_zone: string;
  /** Wall time in `time_zone`, `2026-12-10T10:00`. */
  start: string;
  starts_at: string;
  duration: number;
  status: SittingStatus;
  meeting_id: string | null;
  /** Remote and hybrid sittings: the room where members meet by video. */
  video_room_id?: string | null;
  opened_at?: string | null;
  closed_at?: string | null;
}

export type MajorityBase = 'composition' | 'present' | 'cast' | 'for_against';
export const MAJORITY_BASES: MajorityBase[] = ['present', 'composition', 'cast', 'for_against'];

export interface Majority {
  id: string;
  base: MajorityBase;
  num: number;
  den: number;
  strict: boolean;
}
/** A preset's id, or a custom rule. */
export type MajorityInput = string | Majority;

export type ItemStatus = 'pending' | 'current' | 'done' | 'withdrawn';

export interface AgendaItem {
  id: string;
  sitting_id: string;
  position: number;
  title: string;
  rapporteur: string;
  draft: string;
  majority: Majority;
  named_required: boolean;
  status: ItemStatus;
  added_by_vote: string | null;
  /** The item's materials (a documents folder the body's members read). */
  materials_folder_id?: string | null;
}

export interface AgendaItemInput {
  title?: string;
  rapporteur?: string;
  draft?: string;
  majority?: MajorityInput;
  named_required?: boolean;
  position?: number;
}

export type VoteKind = 'named' | 'open' | 'secret';
export const VOTE_KINDS: VoteKind[] = ['named', 'open', 'secret'];
export type VoteResult = 'adopted' | 'rejected' | 'no_quorum';

export interface Vote {
  id: string;
  sitting_id: string;
  number: number;
  item_id?: string | null;
  agenda_change_id?: string | null;
  /** A vote on a change to the agenda: what is to happen to the item named in `title`. */
  agenda_change?: { id: string; kind: 'add' | 'withdraw' | 'move' } | null;
  title: string;
  kind: VoteKind;
  /** yes, no, abstain; or the candidates and abstain. */
  options: string[];
  majority: Majority;
  quorum: { num: number; den: number; strict: boolean };
  seats: number;
  /** P when the vote opened. */
  present: number;
  entitled: number;
  voted: number;
  vote_change?: boolean;
  manual?: boolean;
  status: 'open' | 'closed' | 'cancelled';
  opened_at?: string;
  closes_at?: string | null;
  closed_at?: string | null;
  result: VoteResult | null;
  /** Votes per option; null until the close. */
  tally: Record<string, number> | null;
  repeat_of?: string | null;
  repeat_reason?: string;
}

export interface Voter {
  person_id: string;
  name: string;
  group: string;
  status: 'entitled' | 'absent' | 'conflict';
  voted: boolean;
  /** Only after the close of a named or open vote. */
  choice: string | null;
}

export interface Attendee {
  person_id: string;
  display_name: string;
  role: string;
  group: string;
  present: boolean;
  remote: boolean;
}

export interface Quorum {
  seats: number;
  present: number;
  needed: number;
  quorate: boolean;
}

export interface DeclaredConflict {
  item_id: string;
  person_id: string;
  display_name: string;
  note: string;
  declared_at: string;
}

export interface PendingAgendaChange {
  id: string;
  kind: AgendaChangeKind;
  item_id: string | null;
  position: number | null;
  payload?: { title?: string } | null;
}
export type AgendaChangeKind = 'add' | 'withdraw' | 'move';

export type SpeakerKind = 'speech' | 'reply' | 'point_of_order';
/** In the order the server puts them on the list (points of order first). */
export const SPEAKER_KINDS: SpeakerKind[] = ['speech', 'reply', 'point_of_order'];

/** A request for the floor: waiting, speaking (with its time limit), or done. */
export interface Speaker {
  id: string;
  sitting_id: string;
  item_id: string | null;
  person_id: string;
  display_name: string;
  kind: SpeakerKind;
  status: 'waiting' | 'speaking' | 'done';
  position: number;
  requested_at?: string;
  started_at: string | null;
  /** Seconds at the floor. */
  time_limit: number | null;
  ends_at: string | null;
  ended_at: string | null;
}

export interface SittingView extends Sitting {
  items: AgendaItem[];
  /** Who is speaking, those waiting in the order they will speak, then those done. */
  speakers: Speaker[];
  /** The server's clock when it answered (for the speaker's countdown). */
  server_time: string;
  attendees: Attendee[];
  quorum: Quorum;
  votes: Vote[];
  conflicts: DeclaredConflict[];
  pending_agenda_changes: PendingAgendaChange[];
  me: CouncilStanding;
}

export interface AttendanceEntry {
  id: string;
  person_id: string;
  display_name: string;
  event: 'arrived' | 'left';
  how: 'self' | 'roll_call' | 'clerk' | 'closing';
  remote: boolean;
  at: string;
}

export interface BallotAnswer {
  vote_id: string;
  seq: number;
  receipt: string;
  choice: string;
  changed: boolean;
}

/** One line of a named list entered by the clerk (PL-N): its receipt, or why not. */
export interface ListedBallot {
  person_id: string;
  choice: string;
  receipt: string | null;
  /** A problem's slug: not-present, conflict-of-interest, already-voted, forbidden… */
  problem: string | null;
}

/** A member's line in a published named list (`choice` null: did not vote). */
export interface NamedListRow {
  person_id: string;
  name: string;
  group: string;
  status: string;
  choice: string | null;
}

/** A vote as published without login. */
export interface PublicVote extends Vote {
  body: string;
  sitting_number: number;
  sitting_title: string;
  /** A closed named vote's list; empty for open and secret votes. */
  named_list: NamedListRow[];
}

/** A file of an item's materials, published without login. */
export interface PublishedMaterial {
  id: string;
  name: string;
  size: number;
  content_type: string;
  updated_at: string;
  url: string;
}

export interface PublicSitting extends Sitting {
  items: (AgendaItem & { materials: PublishedMaterial[] })[];
  votes: PublicVote[];
  conflicts: { item_id: string; person_id: string; display_name: string; note: string }[];
}

/** A councillor's voting record: every closed named vote they could take part in. */
export interface VotingRecord {
  person_id: string;
  display_name: string;
  items: {
    vote_id: string;
    sitting_id: string;
    sitting_number: number;
    body: string;
    title: string;
    closed_at: string;
    status: 'entitled' | 'absent' | 'conflict';
    choice: string | null;
    result: string;
  }[];
}

/** A ballot found by its receipt. */
export interface ReceiptAnswer {
  vote_id: string;
  sitting_id: string;
  seq: number;
  vote_title: string;
  vote_status: string;
  choice: string;
  result: string | null;
}

export interface VoteInput {
  item_id?: string;
  title?: string;
  kind?: VoteKind;
  majority?: MajorityInput;
  duration?: number;
  candidates?: string[];
  repeat_of?: string;
  repeat_reason?: string;
}

// ---------------------------------------------------------------- paths and calls

export const councilHref = '/council';
export const sittingHref = (id: string) => `/council/sittings/${enc(id)}`;
export const boardHref = (id: string) => `/council/sittings/${enc(id)}/board`;
export const bodyHref = (id: string) => `/council/bodies/${enc(id)}`;
/** The published ledger of a closed vote (no login). */
export const ledgerUrl = (voteId: string) => `/api/v1/public/council/votes/${enc(voteId)}/ledger`;

// What anyone may see without logging in: the pages, and the data behind them to download.
export const publicCouncilHref = '/public/council';
export const publicSittingHref = (id: string) => `/public/council/sittings/${enc(id)}`;
export const publicVoteHref = (id: string) => `/public/council/votes/${enc(id)}`;
export const publicPersonHref = (id: string) => `/public/council/people/${enc(id)}`;
/** The page that checks a receipt (with one: looks it up at once). */
export const publicReceiptHref = (receipt?: string) => `/public/council/receipts${receipt ? `/${enc(receipt)}` : ''}`;
const PUBLIC_API = '/public/council';
export const publicData = {
  sitting: (id: string, format: 'json' | 'csv') => `/api/v1${PUBLIC_API}/sittings/${enc(id)}${format === 'csv' ? '?format=csv' : ''}`,
  vote: (id: string, format: 'json' | 'csv') => `/api/v1${PUBLIC_API}/votes/${enc(id)}${format === 'csv' ? '?format=csv' : ''}`,
  person: (id: string, format: 'json' | 'csv') => `/api/v1${PUBLIC_API}/people/${enc(id)}/votes${format === 'csv' ? '?format=csv' : ''}`,
  feed: `/api/v1${PUBLIC_API}/feed.atom`,
};

interface Items<T> {
  items: T[];
  next_cursor: null;
}

export const council = {
  bodies: async () => (await api.get<Items<CouncilBody>>('/council/bodies')).items,
  body: (id: string) => api.get<CouncilBody>(`/council/bodies/${enc(id)}`),
  addBody: (body: Record<string, unknown>) => api.post<CouncilBody>('/council/bodies', body),
  changeBody: (id: string, body: Record<string, unknown>) => api.patch<CouncilBody>(`/council/bodies/${enc(id)}`, body),
  members: async (bodyId: string, on: string) =>
    (await api.get<Items<CouncilMember>>(`/council/bodies/${enc(bodyId)}/members${query({ on })}`)).items,
  addMember: (bodyId: string, body: Record<string, unknown>) => api.post<CouncilMember>(`/council/bodies/${enc(bodyId)}/members`, body),
  changeMember: (id: string, body: Record<string, unknown>) => api.patch<CouncilMember>(`/council/members/${enc(id)}`, body),
  addGroup: (bodyId: string, body: { name: string; short_name?: string }) => api.post<CouncilGroup>(`/council/bodies/${enc(bodyId)}/groups`, body),
  sittings: async (params: Record<string, string | number | null> = {}) =>
    (await api.get<Items<Sitting>>(`/council/sittings${query({ limit: 200, ...params })}`)).items,
  schedule: (body: Record<string, unknown>) => api.post<SittingView>('/council/sittings', body),
  sitting: (id: string) => api.get<SittingView>(`/council/sittings/${enc(id)}`),
  changeSitting: (id: string, body: Record<string, unknown>) => api.patch<SittingView>(`/council/sittings/${enc(id)}`, body),
  open: (id: string) => api.post<SittingView>(`/council/sittings/${enc(id)}/open`),
  close: (id: string) => api.post<SittingView>(`/council/sittings/${enc(id)}/close`),
  cancel: (id: string) => api.post<SittingView>(`/council/sittings/${enc(id)}/cancel`),
  addItem: (sittingId: string, body: AgendaItemInput) => api.post<AgendaItem>(`/council/sittings/${enc(sittingId)}/items`, body),
  changeItem: (id: string, body: AgendaItemInput) => api.patch<AgendaItem>(`/council/items/${enc(id)}`, body),
  declareConflict: (itemId: string, note: string) =>
    api.post<void>(`/council/items/${enc(itemId)}/conflicts`, note ? { note } : {}),
  proposeChange: (sittingId: string, body: { kind: AgendaChangeKind; item_id?: string; position?: number; item?: AgendaItemInput }) =>
    api.post<Vote>(`/council/sittings/${enc(sittingId)}/agenda-changes`, body),
  register: (sittingId: string, body: { remote?: boolean; password?: string; totp?: string }) =>
    api.post<SittingView>(`/council/sittings/${enc(sittingId)}/attendance`, body),
  leave: (sittingId: string) => api.delete<SittingView>(`/council/sittings/${enc(sittingId)}/attendance`),
  rollCall: (sittingId: string, marks: { person_id: string; present: boolean }[], how: 'roll_call' | 'clerk') =>
    api.post<SittingView>(`/council/sittings/${enc(sittingId)}/roll-call`, { marks, how }),
  attendanceLog: async (sittingId: string) =>
    (await api.get<Items<AttendanceEntry>>(`/council/sittings/${enc(sittingId)}/attendance-log`)).items,
  openVote: (sittingId: string, body: VoteInput) => api.post<Vote>(`/council/sittings/${enc(sittingId)}/votes`, body),
  vote: (id: string) => api.get<Vote>(`/council/votes/${enc(id)}`),
  cast: (voteId: string, choice: string) => api.post<BallotAnswer>(`/council/votes/${enc(voteId)}/ballots`, { choice }),
  closeVote: (id: string) => api.post<Vote>(`/council/votes/${enc(id)}/close`),
  voters: async (voteId: string) => (await api.get<Items<Voter>>(`/council/votes/${enc(voteId)}/voters`)).items,
  enterNamedList: async (voteId: string, ballots: { person_id: string; choice: string }[]) =>
    (await api.post<Items<ListedBallot>>(`/council/votes/${enc(voteId)}/named-list`, { ballots })).items,
  askFloor: (sittingId: string, body: { kind: SpeakerKind; item_id?: string; person_id?: string }) =>
    api.post<Speaker>(`/council/sittings/${enc(sittingId)}/speakers`, body),
  orderSpeakers: (sittingId: string, ids: string[]) => api.post<Items<Speaker>>(`/council/sittings/${enc(sittingId)}/speakers/order`, { ids }),
  withdrawSpeaker: (id: string) => api.delete<void>(`/council/speakers/${enc(id)}`),
  giveFloor: (id: string, seconds?: number) => api.post<Speaker>(`/council/speakers/${enc(id)}/floor`, seconds ? { seconds } : {}),
  endFloor: (id: string) => api.post<Speaker>(`/council/speakers/${enc(id)}/done`),
};

/** The published pages' reads: no session needed (a signed-out caller is not sent to login). */
const quiet = { quiet401: true };
export const publicCouncil = {
  sittings: async () => (await api.get<Items<Sitting>>(`${PUBLIC_API}/sittings${query({ limit: 200 })}`, quiet)).items,
  sitting: (id: string) => api.get<PublicSitting>(`${PUBLIC_API}/sittings/${enc(id)}`, quiet),
  vote: (id: string) => api.get<PublicVote>(`${PUBLIC_API}/votes/${enc(id)}`, quiet),
  record: (personId: string) => api.get<VotingRecord>(`${PUBLIC_API}/people/${enc(personId)}/votes`, quiet),
  receipt: (receipt: string) => api.get<ReceiptAnswer>(`${PUBLIC_API}/receipts/${enc(receipt)}`, quiet),
};

// ---------------------------------------------------------------- words

export const sittingStatusLabel = (s: string) => tMaybe(`council.status.${s}`) ?? s;
export const sittingModeLabel = (m: string) => tMaybe(`council.mode.${m}`) ?? m;
export const sittingKindLabel = (k: string) => tMaybe(`council.kind.${k}`) ?? k;
export const bodyKindLabel = (k: string) => tMaybe(`council.body_kind.${k}`) ?? k;
export const memberRoleLabel = (r: string) => tMaybe(`council.role.${r}`) ?? r;
export const itemStatusLabel = (s: string) => tMaybe(`council.item_status.${s}`) ?? s;
export const voteKindLabel = (k: string) => tMaybe(`council.vote_kind.${k}`) ?? k;
export const resultLabel = (r: string | null) => (r ? tMaybe(`council.result.${r}`) ?? r : '');
export const speakerKindLabel = (k: string) => tMaybe(`council.speaker_kind.${k}`) ?? k;

/** The badge tone of a sitting's status. */
export function statusTone(status: SittingStatus): string {
  switch (status) {
    case 'open':
      return 'ok';
    case 'cancelled':
      return 'cancelled';
    case 'scheduled':
      return 'today';
    default:
      return 'muted';
  }
}

export function resultTone(result: string | null): string {
  return result === 'adopted' ? 'ok' : result === 'rejected' ? 'declined' : 'pending';
}

/** "Yes", "No", "Abstain" — or a candidate's name as it is. */
export function optionLabel(option: string): string {
  return option === 'yes' || option === 'no' || option === 'abstain' ? t(`council.option.${option}`) : option;
}

/** The presets of LAW.md, per jurisdiction (elections last). */
export const PRESETS: Record<Jurisdiction, string[]> = {
  bg: ['BG-M1', 'BG-M2', 'BG-M3', 'BG-E'],
  pl: ['PL-M1', 'PL-M2', 'PL-M3', 'PL-M4-3/5', 'PL-M4-2/3', 'PL-E'],
};
export const ALL_PRESETS = [...PRESETS.bg, ...PRESETS.pl];

/** "BG-M1 — more than half of those present"; a custom rule in words. */
export function majorityLabel(m: Majority | string): string {
  const id = typeof m === 'string' ? m : m.id;
  const preset = tMaybe(`council.majority.${id}`);
  if (preset) return `${id} — ${preset}`;
  if (typeof m === 'string') return m;
  return customMajorityText(m);
}

/** "more than 1/2 of those present", "at least 2/3 of all members". */
export function customMajorityText(m: Pick<Majority, 'base' | 'num' | 'den' | 'strict'>): string {
  return t(m.strict ? 'council.majority.custom_strict' : 'council.majority.custom_at_least', {
    share: `${formatNumber(m.num)}/${formatNumber(m.den)}`,
    base: tMaybe(`council.base.${m.base}`) ?? m.base,
  });
}

// ---------------------------------------------------------------- times

/** Today in the browser's zone as `yyyy-mm-dd`. */
export function todayKey(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Seconds as a clock: `04:07`, `12:30` (minutes may pass 99). */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Whole seconds left until `endsAt` by the server's clock (`serverTime` is the server's time
 * when the view was read: the difference to this device's clock is kept), negative once the
 * time is over; null without an end. Ticks every second while there is an end.
 */
export function useCountdown(endsAt: string | null | undefined, serverTime: string | undefined): number | null {
  const offset = useMemo(() => {
    const server = serverTime ? Date.parse(serverTime) : NaN;
    return Number.isNaN(server) ? 0 : server - Date.now();
  }, [serverTime]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!endsAt) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [endsAt]);
  if (!endsAt) return null;
  const end = Date.parse(endsAt);
  if (Number.isNaN(end)) return null;
  return Math.ceil((end - (now + offset)) / 1000);
}

// ---------------------------------------------------------------- live

/**
 * Follows a sitting: `onChange` (once for a burst) on `council.changed`, `council.vote_opened`,
 * `council.vote_closed`, once the subscription is confirmed and after a lost connection came
 * back; `onProgress(voteId, voted)` on `council.vote_progress` (no read needed for that).
 *
 * Unlike the workspace pages these reads do not wait for the person's next input: a sitting is
 * a live event that people (and the projector) watch without touching anything, and the server
 * sends these events only while something happens in it.
 */
export function useSittingLive(
  sittingId: string,
  onChange: () => void,
  onProgress?: (voteId: string, voted: number) => void,
): void {
  const change = useRef(onChange);
  change.current = onChange;
  const progress = useRef(onProgress);
  progress.current = onProgress;
  useEffect(() => {
    let timer: number | undefined;
    const later = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => change.current(), 100);
    };
    const stop = watch(
      `council:${sittingId}`,
      (event) => {
        if (event.event === 'council.vote_progress') {
          const voteId = event.data.vote_id;
          const voted = event.data.voted;
          if (progress.current && (typeof voteId === 'string' || typeof voteId === 'number') && typeof voted === 'number') {
            progress.current(String(voteId), voted);
            return;
          }
        }
        if (event.event.startsWith('council.')) later();
      },
      later,
      later,
    );
    return () => {
      stop();
      window.clearTimeout(timer);
    };
  }, [sittingId]);
}
