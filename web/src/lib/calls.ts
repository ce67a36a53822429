// Calls ("call a colleague now"): the calls of the signed-in person that are ringing or in
// progress, kept live over their person topic (`call.ringing`, `call.changed`) and read again
// after a lost connection; and the outcome of the last call they made (declined, no answer),
// until they close it.
import { useEffect } from 'preact/hooks';
import { api, Problem } from './api';
import { watch } from './realtime';
import { createStore } from './store';
import type { Call, Page } from './types';

/** How long a call's room stays open at most (the server's limit). */
export const CALL_HOURS = 4;

export const liveCallsStore = createStore<Call[]>([]);
/** The caller's last call that ended without being taken, to say why. */
export const outcomeStore = createStore<Call | null>(null);

const live = (c: Call) => c.state === 'ringing' || c.state === 'accepted';

function merge(call: Call, me: string): void {
  const others = liveCallsStore.get().filter((c) => c.id !== call.id);
  liveCallsStore.set(live(call) ? [call, ...others] : others);
  if (call.caller.id === me && (call.state === 'declined' || call.state === 'missed')) outcomeStore.set(call);
}

// Like the bell's count: an event during a reload may be missing from its answer, which then
// must not replace what the event set; the list is read once more instead.
let reloadSeq = 0;
let changedDuringReload = false;

async function reload(): Promise<void> {
  const mine = ++reloadSeq;
  changedDuringReload = false;
  try {
    const page = await api.get<Page<Call>>('/calls?state=live');
    if (mine !== reloadSeq) return;
    if (changedDuringReload) {
      void reload();
      return;
    }
    liveCallsStore.set(page.items);
  } catch {
    /* keep what we have; the next event or reconnection corrects it */
  }
}

/** Keeps the stores for the signed-in person (the app shell calls it once). */
export function useCallFeed(personId: string | null): void {
  useEffect(() => {
    if (!personId) return;
    liveCallsStore.set([]);
    outcomeStore.set(null);
    void reload();
    let confirmedOnce = false;
    return watch(
      `person:${personId}`,
      (event) => {
        if (event.event !== 'call.ringing' && event.event !== 'call.changed') return;
        changedDuringReload = true;
        merge(event.data as unknown as Call, personId);
      },
      () => void reload(),
      // A ring that came before the subscription was confirmed was not delivered: read once more.
      () => {
        if (confirmedOnce) return;
        confirmedOnce = true;
        void reload();
      },
    );
  }, [personId]);
}

/** Rings `personId`; a 409 do_not_disturb comes back as the thrown ApiError. */
export async function startCall(personId: string, me: string): Promise<Call> {
  outcomeStore.set(null);
  const call = await api.post<Call>('/calls', { person_id: personId });
  merge(call, me);
  return call;
}

export async function answerCall(id: string, accept: boolean, me: string, message = ''): Promise<Call> {
  const call = await api.post<Call>(`/calls/${id}/${accept ? 'accept' : 'decline'}`, accept ? {} : { message });
  merge(call, me);
  return call;
}

export async function endCall(id: string, me: string): Promise<Call> {
  try {
    const call = await api.post<Call>(`/calls/${id}/end`, {});
    merge(call, me);
    return call;
  } catch (error) {
    // Over already (the other side was quicker): read again rather than show a stale call.
    if (error instanceof Problem && error.status === 409) await reload();
    throw error;
  }
}
