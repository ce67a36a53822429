// Presence: who is online, available, busy, away or in a meeting, and who does not want to be
// disturbed (docs/api.md, "Presence"). One shared cache for the whole page: `usePresence(ids)`
// holds the people a component shows, reads their presence (`GET /presence?ids=`, 200 at a
// time) and keeps it live over the topic `presence` (`presence.changed`, for anyone: only the
// people held here are kept). The cache is read again whenever the server confirms the
// subscription (at first and after a lost connection came back — then through `whenActive`),
// so a change made before the subscription took effect is not missed.
import { useEffect, useRef } from 'preact/hooks';
import { cancelWaiting, whenActive } from './activity';
import { api } from './api';
import { t, tMaybe } from './i18n';
import { watch } from './realtime';
import { createStore, useStore } from './store';

export type PresenceState = 'offline' | 'available' | 'busy' | 'away' | 'in-meeting';
/** What a person may say about themselves. */
export type PresenceStatus = 'available' | 'busy' | 'away';
export const PRESENCE_STATUSES: readonly PresenceStatus[] = ['available', 'busy', 'away'];

export interface Presence {
  state: PresenceState;
  dnd: boolean;
}

const STATES: readonly string[] = ['offline', 'available', 'busy', 'away', 'in-meeting'];
const BATCH = 200;

/** Presence of the people held by some component. */
const entries = new Map<string, Presence>();
/** How many components hold each person. */
const holders = new Map<string, number>();
/** The number of the last event (or own change) about each person: newer than a read's start wins. */
const changedAt = new Map<string, number>();
let changeSeq = 0;
/** Bumped on every change of a held person's presence (components re-render). */
const version = createStore(0);

let stopTopic: (() => void) | null = null;
let confirmedBefore = false;
const RESYNC_KEY = {};

function asPresence(data: Record<string, unknown>): [string, Presence] | null {
  const id = data.person_id;
  if ((typeof id !== 'string' && typeof id !== 'number') || typeof data.state !== 'string') return null;
  if (!STATES.includes(data.state)) return null;
  return [String(id), { state: data.state as PresenceState, dnd: data.dnd === true }];
}

function put(id: string, presence: Presence): void {
  const old = entries.get(id);
  if (old && old.state === presence.state && old.dnd === presence.dnd) return;
  entries.set(id, presence);
  version.set(version.get() + 1);
}

/** Reads the presence of `ids` (those still held when the answer comes). */
async function read(ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const started = changeSeq;
    try {
      const page = await api.get<{ items: Record<string, unknown>[] }>(`/presence?ids=${batch.map(encodeURIComponent).join(',')}`);
      for (const item of page.items ?? []) {
        const found = asPresence(item);
        if (!found) continue;
        const [id, presence] = found;
        // A live change that came while this read was on its way is newer.
        if (holders.has(id) && (changedAt.get(id) ?? 0) <= started) put(id, presence);
      }
    } catch {
      /* no indicator for them: the page works without */
    }
  }
}

function startTopic(): void {
  confirmedBefore = false;
  stopTopic = watch(
    'presence',
    (event) => {
      if (event.event !== 'presence.changed') return;
      const found = asPresence(event.data);
      if (!found || !holders.has(found[0])) return;
      changedAt.set(found[0], ++changeSeq);
      put(found[0], found[1]);
    },
    undefined,
    () => {
      const again = confirmedBefore;
      confirmedBefore = true;
      const readAll = () => void read([...holders.keys()]);
      // The first confirmation belongs to opening the page; a later one (back after a lost
      // connection) reads only while the person uses the page.
      if (again) whenActive(RESYNC_KEY, readAll);
      else readAll();
    },
  );
}

/** Holds `ids`; returns those that were not held before. */
function hold(ids: string[]): string[] {
  const fresh: string[] = [];
  for (const id of ids) {
    const n = holders.get(id) ?? 0;
    holders.set(id, n + 1);
    if (n === 0) fresh.push(id);
  }
  if (holders.size > 0 && !stopTopic) startTopic();
  return fresh;
}

function letGo(ids: string[]): void {
  let changed = false;
  for (const id of ids) {
    const n = (holders.get(id) ?? 0) - 1;
    if (n > 0) {
      holders.set(id, n);
      continue;
    }
    holders.delete(id);
    changedAt.delete(id);
    changed = entries.delete(id) || changed;
  }
  if (holders.size === 0 && stopTopic) {
    stopTopic();
    stopTopic = null;
    cancelWaiting(RESYNC_KEY);
  }
  if (changed) version.set(version.get() + 1);
}

/** The presence of someone held by a component (undefined while unknown). */
export function presenceOf(id: string): Presence | undefined {
  return entries.get(id);
}

/**
 * The presence of `ids`, live; a person is missing from the map until their presence is known.
 * The component re-renders when one of them changes.
 */
export function usePresence(ids: readonly string[]): ReadonlyMap<string, Presence> {
  useStore(version);
  const key = [...new Set(ids.filter(Boolean))].sort().join(',');
  const held = useRef<string[]>([]);
  useEffect(() => {
    const list = key ? key.split(',') : [];
    // Hold the new list before letting go of the old one: the people in both stay known.
    const fresh = hold(list);
    letGo(held.current);
    held.current = list;
    if (fresh.length) void read(fresh);
  }, [key]);
  useEffect(
    () => () => {
      letGo(held.current);
      held.current = [];
    },
    [],
  );
  const out = new Map<string, Presence>();
  for (const id of ids) {
    const p = entries.get(id);
    if (p) out.set(id, p);
  }
  return out;
}

/** Says how one is (`PUT /me/presence`); the answer is one's presence as others see it. */
export async function setMyPresence(personId: string, status: PresenceStatus, dnd: boolean): Promise<Presence> {
  const answer = await api.put<Record<string, unknown>>('/me/presence', { status, dnd });
  const found = asPresence(answer);
  const presence = found ? found[1] : { state: status, dnd };
  changedAt.set(personId, ++changeSeq);
  if (holders.has(personId)) put(personId, presence);
  return presence;
}

/** What one said of oneself, as far as the state shows it (unknown while offline). */
export function statusOf(presence: Presence | undefined): PresenceStatus | null {
  if (!presence || presence.state === 'offline') return null;
  return presence.state === 'busy' || presence.state === 'away' ? presence.state : 'available';
}

export function presenceStateLabel(state: PresenceState): string {
  return tMaybe(`presence.state.${state}`) ?? state;
}

/** "Busy", "Busy, do not disturb", "Offline" — the text alternative of an indicator. */
export function presenceText(presence: Presence): string {
  const state = presenceStateLabel(presence.state);
  return presence.dnd && presence.state !== 'offline' ? t('presence.with_dnd', { state }) : state;
}
