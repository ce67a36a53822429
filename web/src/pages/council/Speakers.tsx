// The speakers of a sitting. Everyone (and the projector) sees who has the floor with the time
// left, counting down by the server's clock; the list of those waiting (points of order first,
// then replies, then speeches). A member asks to speak — a speech, a reply or a point of order —
// and may take the request back, or end their own speech. The chair orders the list, gives the
// floor (the kind's default time, or another), ends a speech, strikes a request, and puts
// someone who is not a member (the mayor, a rapporteur) on the list.
//
// Screen readers hear when someone takes the floor and when the time is up — never each second.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField, TextField } from '../../components/Field';
import { failureFrom, type FieldError, type FormFailure } from '../../lib/forms';
import { formatNumber, t } from '../../lib/i18n';
import { useForm } from '../../lib/useForm';
import {
  council, formatClock, SPEAKER_KINDS, speakerKindLabel, useCountdown, type SittingView, type Speaker, type SpeakerKind,
} from '../../lib/council';
import { PersonPick, usePersonPick } from '../workspace/common';
import type { OnSittingChanged } from './SittingPage';

/** After a change: the sitting read again and shown (with `notice`), then the focus on `focus`
 * (which may only exist in the new view). */
async function showChange(sittingId: string, onChanged: OnSittingChanged, notice: string | undefined, focus: string): Promise<void> {
  onChanged(await council.sitting(sittingId), notice);
  requestAnimationFrame(() => document.getElementById(focus)?.focus());
}

// ---------------------------------------------------------------- who has the floor

/** Who has the floor and the time left (mm:ss), or that nobody has it. */
export function SpeakerNow({ view, id, big = false }: { view: SittingView; id: string; big?: boolean }) {
  const speaking = view.speakers.find((s) => s.status === 'speaking') ?? null;
  const left = useCountdown(speaking?.ends_at, view.server_time);
  const over = left !== null && left <= 0;
  const said = useAnnouncement(speaking, over);

  return (
    <div class={`speaker-now${over ? ' speaker-now--over' : ''}${big ? ' speaker-now--big' : ''}`} id={id}>
      <p class="visually-hidden" role="status" id={`${id}-said`}>
        {said}
      </p>
      {speaking ? (
        <>
          <p class="speaker-now__name">
            <span class="visually-hidden">{t('council.speaking_now')}: </span>
            <span id={`${id}-name`}>{speaking.display_name}</span> <span class="speaker-now__kind">({speakerKindLabel(speaking.kind)})</span>
          </p>
          {left !== null && (
            <p class="speaker-now__clock" id={`${id}-clock`}>
              {over ? (
                <>
                  <strong class="speaker-now__over">
                    <span class="speaker-now__mark" aria-hidden="true">
                      !
                    </span>{' '}
                    {t('council.time_up')}
                  </strong>{' '}
                  <span class="speaker-now__late" role="timer">
                    {t('council.time_over', { time: formatClock(-left) })}
                  </span>
                </>
              ) : (
                <>
                  <span class="speaker-now__label">{t('council.time_left')}</span>{' '}
                  <span class="speaker-now__time" role="timer">
                    {formatClock(left)}
                  </span>
                </>
              )}
            </p>
          )}
        </>
      ) : (
        <p class="speaker-now__name speaker-now__name--none">{t('council.nobody_speaking')}</p>
      )}
    </div>
  );
}

/** What the live region says: someone took the floor, or their time is up — only on a change
 * after the page showed (nothing when it opens, nothing each second). */
function useAnnouncement(speaking: Speaker | null, over: boolean): string {
  const [said, setSaid] = useState('');
  const last = useRef<{ id: string | null; over: boolean } | null>(null);
  const id = speaking?.id ?? null;
  useEffect(() => {
    const before = last.current;
    last.current = { id, over };
    if (!before || (before.id === id && before.over === over)) return;
    if (speaking && before.id !== id) setSaid(t('council.floor_given_to', { name: speaking.display_name, kind: speakerKindLabel(speaking.kind) }));
    else if (speaking && over) setSaid(t('council.time_up_for', { name: speaking.display_name }));
    else if (!speaking) setSaid('');
  }, [id, over]);
  return said;
}

// ---------------------------------------------------------------- the card on the sitting page

export function Speakers({ view, personId, onChanged }: { view: SittingView; personId: string; onChanged: OnSittingChanged }) {
  const me = view.me;
  const speaking = view.speakers.find((s) => s.status === 'speaking') ?? null;
  const waiting = view.speakers.filter((s) => s.status === 'waiting');
  const mine = waiting.filter((s) => s.person_id === personId);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const open = view.status === 'open';

  /** One of the buttons here: the call, what to say, where the focus goes after. */
  const act = async (call: () => Promise<unknown>, notice: string, focus = 'speakers-title') => {
    setBusy(true);
    try {
      await call();
      setFailure(null);
      await showChange(view.id, onChanged, notice, focus);
    } catch (error) {
      setFailure(failureFrom(error));
      onChanged(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card speakers" aria-labelledby="speakers-title" id="speakers">
      <h2 id="speakers-title" tabIndex={-1}>
        {t('council.speakers')}
      </h2>
      <SpeakerNow view={view} id="speaker-now" />
      <ErrorSummary failure={failure} />
      {speaking && (me.presides || speaking.person_id === personId) && (
        <div class="button-row speakers__end">
          <button
            type="button"
            class="button button--secondary"
            id="end-floor"
            disabled={busy}
            onClick={() => void act(() => council.endFloor(speaking.id), t('council.floor_ended', { name: speaking.display_name }))}
          >
            {speaking.person_id === personId ? t('council.end_my_speech') : t('council.end_floor')}
          </button>
        </div>
      )}

      {mine.length > 0 && (
        <ul class="plain-list speakers__mine" id="my-requests">
          {mine.map((s) => (
            <li key={s.id} id={`my-request-${s.id}`} tabIndex={-1}>
              {t('council.my_request', { kind: speakerKindLabel(s.kind), place: formatNumber(waiting.indexOf(s) + 1) })}{' '}
              <button
                type="button"
                class="button button--secondary button--small"
                disabled={busy}
                onClick={() => void act(() => council.withdrawSpeaker(s.id), t('council.request_withdrawn'), 'ask-floor-title')}
              >
                {t('council.withdraw_request')}
                {mine.length > 1 && <span class="visually-hidden"> — {speakerKindLabel(s.kind)}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}

      {me.presides ? (
        <WaitingForChair view={view} waiting={waiting} busy={busy} act={act} onChanged={onChanged} />
      ) : (
        <WaitingList waiting={waiting} />
      )}
      {open && me.votes && <AskFloor view={view} mine={mine} onChanged={onChanged} />}
      {open && me.presides && <AddSpeaker view={view} onChanged={onChanged} />}
    </section>
  );
}

function WaitingList({ waiting }: { waiting: Speaker[] }) {
  return (
    <>
      <h3 id="speakers-waiting-title">{t('council.waiting_speakers', { count: formatNumber(waiting.length) })}</h3>
      {waiting.length === 0 ? (
        <p class="muted">{t('council.nobody_waiting')}</p>
      ) : (
        <ol class="speakers__list" id="speakers-waiting" aria-labelledby="speakers-waiting-title">
          {waiting.map((s) => (
            <li key={s.id} data-speaker-id={s.id}>
              <SpeakerLine speaker={s} />
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function SpeakerLine({ speaker }: { speaker: Speaker }) {
  return (
    <span class="speakers__who">
      {speaker.display_name} <span class={`badge badge--${speaker.kind === 'point_of_order' ? 'today' : 'muted'}`}>{speakerKindLabel(speaker.kind)}</span>
    </span>
  );
}

// ---------------------------------------------------------------- the chair's list

const SECONDS_ID = 'floor-seconds';

function WaitingForChair({
  view,
  waiting,
  busy,
  act,
  onChanged,
}: {
  view: SittingView;
  waiting: Speaker[];
  busy: boolean;
  act: (call: () => Promise<unknown>, notice: string, focus?: string) => Promise<void>;
  onChanged: OnSittingChanged;
}) {
  const [seconds, setSeconds] = useState('');
  const form = useForm();

  const give = (s: Speaker) =>
    form.submitWith({
      check: (): FieldError[] => {
        const n = Number(seconds.trim());
        return seconds.trim() && !(Number.isInteger(n) && n >= 10 && n <= 3600)
          ? [{ id: SECONDS_ID, label: t('council.floor_seconds'), message: t('council.floor_seconds_invalid') }]
          : [];
      },
      send: async () => {
        await council.giveFloor(s.id, seconds.trim() ? Number(seconds) : undefined);
        setSeconds('');
        // Said once, by the live region of "speaking now", when the view is read again.
        await showChange(view.id, onChanged, undefined, 'end-floor');
      },
      fields: { seconds: [SECONDS_ID, t('council.floor_seconds')] },
    });

  /** Swaps a request with its neighbour of the same kind (the server keeps the kinds apart). */
  const move = (s: Speaker, by: -1 | 1) => {
    const same = waiting.filter((x) => x.kind === s.kind);
    const at = same.indexOf(s);
    const other = same[at + by];
    if (!other) return;
    const ids = waiting.map((x) => (x.id === s.id ? other.id : x.id === other.id ? s.id : x.id));
    const place = waiting.indexOf(other) + 1;
    void act(() => council.orderSpeakers(view.id, ids), t('council.speaker_moved', { name: s.display_name, place: formatNumber(place) }), `speaker-${s.id}-${by < 0 ? 'up' : 'down'}`);
  };

  return (
    <div class="speakers__chair">
      <h3 id="speakers-waiting-title">{t('council.waiting_speakers', { count: formatNumber(waiting.length) })}</h3>
      {waiting.length === 0 ? (
        <p class="muted">{t('council.nobody_waiting')}</p>
      ) : (
        <>
          <ErrorSummary failure={form.failure} />
          <TextField
            id={SECONDS_ID}
            type="number"
            label={t('council.floor_seconds')}
            hint={t('council.floor_seconds_hint')}
            error={form.errorFor(SECONDS_ID)}
            value={seconds}
            onValue={setSeconds}
            min={10}
            max={3600}
            class="input--short"
          />
          <ol class="speakers__list speakers__list--chair" id="speakers-waiting" aria-labelledby="speakers-waiting-title">
            {waiting.map((s) => {
              const same = waiting.filter((x) => x.kind === s.kind);
              const at = same.indexOf(s);
              return (
                <li key={s.id} data-speaker-id={s.id}>
                  <SpeakerLine speaker={s} />
                  <div class="table__buttons">
                    <button type="button" class="button button--small" id={`speaker-${s.id}-floor`} disabled={busy || form.busy} onClick={(e) => void give(s)(e)}>
                      {t('council.give_floor')}
                      <span class="visually-hidden"> — {s.display_name}</span>
                    </button>
                    {at > 0 && (
                      <button type="button" class="button button--small button--secondary" id={`speaker-${s.id}-up`} disabled={busy} onClick={() => move(s, -1)}>
                        {t('council.move_up')}
                        <span class="visually-hidden"> — {s.display_name}</span>
                      </button>
                    )}
                    {at < same.length - 1 && (
                      <button type="button" class="button button--small button--secondary" id={`speaker-${s.id}-down`} disabled={busy} onClick={() => move(s, 1)}>
                        {t('council.move_down')}
                        <span class="visually-hidden"> — {s.display_name}</span>
                      </button>
                    )}
                    <button
                      type="button"
                      class="button button--small button--danger"
                      disabled={busy}
                      onClick={() => void act(() => council.withdrawSpeaker(s.id), t('council.speaker_struck', { name: s.display_name }))}
                    >
                      {t('council.strike')}
                      <span class="visually-hidden"> — {s.display_name}</span>
                    </button>
                  </div>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- a member asks

function KindChoice({ name, value, onValue, taken }: { name: string; value: SpeakerKind; onValue: (k: SpeakerKind) => void; taken?: Set<string> }) {
  return (
    <ul class="checkboxes checkboxes--row">
      {SPEAKER_KINDS.map((k) => (
        <li class="checkbox" key={k}>
          <input type="radio" name={name} id={`${name}-${k}`} checked={value === k} disabled={taken?.has(k)} onChange={() => onValue(k)} />
          <label for={`${name}-${k}`}>{speakerKindLabel(k)}</label>
        </li>
      ))}
    </ul>
  );
}

function AskFloor({ view, mine, onChanged }: { view: SittingView; mine: Speaker[]; onChanged: OnSittingChanged }) {
  const taken = new Set(mine.map((s) => s.kind));
  const free = SPEAKER_KINDS.filter((k) => !taken.has(k));
  const [kind, setKind] = useState<SpeakerKind>('speech');
  const chosen = taken.has(kind) ? free[0] : kind;
  const form = useForm();
  const current = view.items.find((i) => i.status === 'current');

  const submit = form.submitWith({
    send: async () => {
      if (!chosen) return;
      const asked = await council.askFloor(view.id, current ? { kind: chosen, item_id: current.id } : { kind: chosen });
      await showChange(view.id, onChanged, t('council.asked_floor', { kind: speakerKindLabel(chosen) }), `my-request-${asked.id}`);
    },
    fields: { kind: ['ask-kind-speech', t('council.ask_floor_kind')] },
  });

  if (!chosen) return null;
  return (
    <form class="form speakers__ask" onSubmit={submit} noValidate aria-labelledby="ask-floor-title" id="ask-floor">
      <h3 id="ask-floor-title" tabIndex={-1}>
        {t('council.ask_floor')}
      </h3>
      <ErrorSummary failure={form.failure} />
      <fieldset class="fieldset">
        <legend>{t('council.ask_floor_kind')}</legend>
        <KindChoice name="ask-kind" value={chosen} onValue={setKind} taken={taken} />
      </fieldset>
      <button type="submit" class="button member-panel__button" disabled={form.busy} id="ask-floor-submit">
        {t('council.ask_floor_submit')}
      </button>
    </form>
  );
}

// ---------------------------------------------------------------- the chair adds someone

const FIND_ID = 'speaker-find';
const PICK = 'speaker-pick-';

function AddSpeaker({ view, onChanged }: { view: SittingView; onChanged: OnSittingChanged }) {
  const [kind, setKind] = useState<SpeakerKind>('speech');
  const pick = usePersonPick(FIND_ID, PICK, t('council.member_find'));
  const form = useForm();

  const submit = form.submitWith({
    check: pick.missing,
    send: async () => {
      const added = await council.askFloor(view.id, { kind, person_id: pick.chosen });
      pick.reset();
      await showChange(view.id, onChanged, t('council.speaker_added', { name: added.display_name }), FIND_ID);
    },
    fields: { person_id: [pick.firstPick, t('council.member_find')], kind: ['add-kind', t('council.speaker_kind_label')] },
  });

  return (
    <details class="speakers__add" id="add-speaker">
      <summary>{t('council.add_speaker')}</summary>
      <form class="form" onSubmit={submit} noValidate aria-label={t('council.add_speaker')} id="add-speaker-form">
        <p class="muted">{t('council.add_speaker_hint')}</p>
        <ErrorSummary failure={form.failure ?? pick.search.failure} />
        <PersonPick {...pick.props} legend={t('rooms.member_pick')} errorFor={form.errorFor} />
        <SelectField
          id="add-kind"
          label={t('council.speaker_kind_label')}
          value={kind}
          onValue={(k) => setKind(k as SpeakerKind)}
          options={SPEAKER_KINDS.map((k) => ({ value: k, label: speakerKindLabel(k) }))}
        />
        <button type="submit" class="button button--secondary" disabled={form.busy} id="add-speaker-submit">
          {t('council.add_speaker_submit')}
        </button>
      </form>
    </details>
  );
}
