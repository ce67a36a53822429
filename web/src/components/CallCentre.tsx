// Calls in the app shell, on every page: the ring when a colleague calls (a dialog that takes
// the focus, with Accept and Decline and an optional word for the caller), and a bar while one
// calls someone or is in a call (hang up, go to the room), then why a call was not taken.
import { useState } from 'preact/hooks';
import { answerCall, CALL_HOURS, endCall, liveCallsStore, outcomeStore, useCallFeed } from '../lib/calls';
import { failureFrom, type FormFailure } from '../lib/forms';
import { t } from '../lib/i18n';
import { Link, navigate } from '../lib/router';
import { useStore } from '../lib/store';
import type { Call } from '../lib/types';
import { roomHref, useNow } from '../lib/workspace';
import { focusHeadingIfLost } from '../pages/workspace/common';
import { Dialog } from './Dialog';
import { ErrorSummary } from './ErrorSummary';

export function CallCentre({ personId }: { personId: string }) {
  useCallFeed(personId);
  // A call's room closes after CALL_HOURS without an event; the minute timer lets it go.
  const now = useNow(60_000);
  const calls = useStore(liveCallsStore).filter((c) => Date.parse(c.created_at) + CALL_HOURS * 3600e3 > now);
  const outcome = useStore(outcomeStore);
  const incoming = calls.find((c) => c.state === 'ringing' && c.callee.id === personId);
  // The bar: a call in progress, or the one this person is making.
  const current = calls.find((c) => c.state === 'accepted' || c.caller.id === personId);
  return (
    <>
      {incoming && <Ringing key={incoming.id} call={incoming} me={personId} />}
      <div class="call-bar-region" role="status" aria-live="polite">
        {current ? <CallBar call={current} me={personId} /> : outcome && <Outcome call={outcome} />}
      </div>
    </>
  );
}

function Ringing({ call, me }: { call: Call; me: string }) {
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const answer = async (accept: boolean) => {
    setBusy(true);
    try {
      const done = await answerCall(call.id, accept, me, message.trim());
      if (accept) navigate(roomHref(done.room_id));
    } catch (error) {
      setFailure(failureFrom(error, { message: ['call-message', t('calls.decline_message')] }));
      setBusy(false);
    }
  };
  return (
    <Dialog id="incoming-call" role="alertdialog" title={t('calls.incoming_title', { name: call.caller.display_name })} describedBy="incoming-call-text">
      <p id="incoming-call-text">{t('calls.incoming_text', { name: call.caller.display_name })}</p>
      <ErrorSummary failure={failure} />
      <div class="field">
        <label for="call-message">{t('calls.decline_message')}</label>
        <input id="call-message" class="input" value={message} maxLength={200} onInput={(e) => setMessage((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="button-row">
        <button type="button" class="button" data-autofocus disabled={busy} onClick={() => void answer(true)}>
          {t('calls.accept')}
        </button>
        <button type="button" class="button button--secondary" disabled={busy} onClick={() => void answer(false)}>
          {t('calls.decline')}
        </button>
      </div>
    </Dialog>
  );
}

function CallBar({ call, me }: { call: Call; me: string }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const other = call.caller.id === me ? call.callee.display_name : call.caller.display_name;
  const hangUp = async () => {
    setBusy(true);
    try {
      await endCall(call.id, me);
      focusHeadingIfLost();
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="call-bar" id="call-bar" data-call-state={call.state}>
      <span class="call-bar__text">{call.state === 'ringing' ? t('calls.calling', { name: other }) : t('calls.in_call', { name: other })}</span>
      {call.state === 'accepted' && (
        <Link href={roomHref(call.room_id)} class="button button--small">
          {t('calls.go_to_room')}
        </Link>
      )}
      <button type="button" class="button button--small button--danger" disabled={busy} onClick={() => void hangUp()}>
        {call.state === 'ringing' ? t('calls.cancel') : t('calls.hang_up')}
      </button>
      <ErrorSummary failure={failure} />
    </div>
  );
}

function Outcome({ call }: { call: Call }) {
  const name = call.callee.display_name;
  const text = call.state === 'declined' ? t('calls.declined', { name }) : t('calls.missed', { name });
  return (
    <div class="call-bar call-bar--outcome" id="call-bar" data-call-state={call.state}>
      <span class="call-bar__text">
        {text}
        {call.message && <q class="call-bar__message">{call.message}</q>}
      </span>
      <button type="button" class="button button--small button--secondary" onClick={() => (outcomeStore.set(null), focusHeadingIfLost())}>
        {t('calls.dismiss')}
      </button>
    </div>
  );
}
