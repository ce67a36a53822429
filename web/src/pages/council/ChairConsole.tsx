// The chair's console (chair or deputy chair): open, close or cancel the sitting; the roll
// call; open a vote — on an item or another question, named / open / secret, the item's rule or
// another, a time limit, candidates for an election, or the repeat of a closed vote with the
// reason. The roll call is also the clerk's tool for corrections (`how: clerk`).
import { useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField, TextAreaField, TextField } from '../../components/Field';
import { failureFrom, type FieldError, type FormFailure } from '../../lib/forms';
import { formatNumber, t } from '../../lib/i18n';
import { useForm } from '../../lib/useForm';
import {
  council, majorityLabel, memberRoleLabel, VOTE_KINDS, voteKindLabel, type SittingView, type VoteInput, type VoteKind, voteTitle} from '../../lib/council';
import { MajorityFields, majorityChoice, majorityInput, type MajorityChoice } from './common';
import type { OnSittingChanged } from './SittingPage';

export function ChairConsole({ view, onChanged }: { view: SittingView; onChanged: OnSittingChanged }) {
  const openVote = view.votes.some((v) => v.status === 'open');
  return (
    <section class="card console" aria-labelledby="console-title" id="chair-console">
      <h2 id="console-title" tabIndex={-1}>{t('council.console')}</h2>
      <SittingControls view={view} onChanged={onChanged} />
      {view.status === 'open' && <RollCall view={view} how="roll_call" onChanged={onChanged} nested />}
      {view.status === 'open' && !openVote && <OpenVoteForm view={view} onChanged={onChanged} />}
      {view.status === 'open' && openVote && <p class="muted">{t('council.vote_running')}</p>}
    </section>
  );
}

// ---------------------------------------------------------------- open, close, cancel

function SittingControls({ view, onChanged }: { view: SittingView; onChanged: OnSittingChanged }) {
  const [asking, setAsking] = useState<'close' | 'cancel' | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const run = async (what: 'open' | 'close' | 'cancel') => {
    setBusy(true);
    try {
      const fresh = await council[what](view.id);
      setAsking(null);
      setFailure(null);
      // The button pressed is gone now: the focus goes to the console's heading.
      requestAnimationFrame(() => document.getElementById('console-title')?.focus());
      onChanged(fresh, t(what === 'open' ? 'council.sitting_opened_notice' : what === 'close' ? 'council.sitting_closed_notice' : 'council.sitting_cancelled_notice'));
    } catch (error) {
      setAsking(null);
      setFailure(failureFrom(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="console__controls">
      <ErrorSummary failure={failure} />
      <div class="button-row">
        {view.status === 'scheduled' && (
          <button type="button" class="button" id="open-sitting" disabled={busy} onClick={() => void run('open')}>
            {t('council.open_sitting')}
          </button>
        )}
        {view.status === 'open' && (
          <button type="button" class="button button--secondary" id="close-sitting" disabled={busy} onClick={() => setAsking('close')}>
            {t('council.close_sitting')}
          </button>
        )}
        {view.status === 'scheduled' && (
          <button type="button" class="button button--danger" id="cancel-sitting" disabled={busy} onClick={() => setAsking('cancel')}>
            {t('council.cancel_sitting')}
          </button>
        )}
      </div>
      {asking && (
        <Dialog
          id="sitting-confirm"
          title={asking === 'close' ? t('council.close_sitting') : t('council.cancel_sitting')}
          describedBy="sitting-confirm-text"
          onCancel={() => setAsking(null)}
        >
          <p id="sitting-confirm-text">{asking === 'close' ? t('council.close_sitting_text') : t('council.cancel_sitting_text')}</p>
          <div class="button-row">
            <button type="button" class={`button${asking === 'cancel' ? ' button--danger' : ''}`} id="sitting-confirm-yes" disabled={busy} onClick={() => void run(asking)}>
              {asking === 'close' ? t('council.close_sitting') : t('council.cancel_sitting')}
            </button>
            <button type="button" class="button button--secondary" onClick={() => setAsking(null)}>
              {t('council.keep')}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- roll call

/** Present or not, for each member; only the changes are sent. */
export function RollCall({ view, how, onChanged, nested = false }: { view: SittingView; how: 'roll_call' | 'clerk'; onChanged: OnSittingChanged; nested?: boolean }) {
  const [marks, setMarks] = useState<Record<string, boolean>>({});
  const form = useForm();
  const present = (id: string) => marks[id] ?? view.attendees.find((a) => a.person_id === id)?.present ?? false;
  const changes = view.attendees.filter((a) => marks[a.person_id] !== undefined && marks[a.person_id] !== a.present);
  const titleId = `roll-call-${how}-title`;
  const Heading = nested ? 'h3' : 'h2';

  const submit = form.submitWith({
    send: async () => {
      const fresh = await council.rollCall(
        view.id,
        changes.map((a) => ({ person_id: a.person_id, present: marks[a.person_id]! })),
        how,
      );
      setMarks({});
      onChanged(fresh, t('council.roll_call_saved', { present: formatNumber(fresh.quorum.present) }));
    },
  });
  const all = (on: boolean) => setMarks(Object.fromEntries(view.attendees.map((a) => [a.person_id, on])));

  const body = (
    <>
      <Heading id={titleId}>{how === 'clerk' ? t('council.attendance_correction') : t('council.roll_call')}</Heading>
      <p class="muted">{how === 'clerk' ? t('council.attendance_correction_hint') : t('council.roll_call_hint')}</p>
      <form class="form" onSubmit={submit} noValidate aria-labelledby={titleId} id={`roll-call-${how}`}>
        <ErrorSummary failure={form.failure} />
        <div class="button-row roll-call__all">
          <button type="button" class="button button--secondary button--small" onClick={() => all(true)}>
            {t('council.mark_all_present')}
          </button>
          <button type="button" class="button button--secondary button--small" onClick={() => all(false)}>
            {t('council.mark_none_present')}
          </button>
        </div>
        <fieldset class="fieldset">
          <legend>{t('council.who_is_present')}</legend>
          <ul class="checkboxes roll-call">
            {view.attendees.map((a) => {
              const cid = `roll-${how}-${a.person_id}`;
              return (
                <li class="checkbox" key={a.person_id}>
                  <input
                    type="checkbox"
                    id={cid}
                    checked={present(a.person_id)}
                    onChange={(e) => {
                      const on = (e.currentTarget as HTMLInputElement).checked;
                      setMarks((old) => ({ ...old, [a.person_id]: on }));
                    }}
                  />
                  <label for={cid}>
                    {a.display_name}
                    <span class="table__sub">
                      {[a.role !== 'member' ? memberRoleLabel(a.role) : '', a.group, a.present ? (a.remote ? t('council.present_remote_short') : t('council.present_short')) : t('council.absent_short')]
                        .filter(Boolean)
                        .join(' · ')}
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
        </fieldset>
        <button type="submit" class="button" disabled={form.busy || changes.length === 0} id={`roll-call-${how}-submit`}>
          {changes.length ? t('council.roll_call_save_n', { count: formatNumber(changes.length) }) : t('council.roll_call_save')}
        </button>
      </form>
    </>
  );
  return nested ? (
    <div class="console__part">{body}</div>
  ) : (
    <section class="card" aria-labelledby={titleId}>
      {body}
    </section>
  );
}

// ---------------------------------------------------------------- open a vote

type Subject = 'item' | 'question' | 'election';
const DURATIONS = [0, 30, 60, 120, 300, 600];

function OpenVoteForm({ view, onChanged }: { view: SittingView; onChanged: OnSittingChanged }) {
  const items = view.items.filter((i) => i.status !== 'withdrawn');
  const closedVotes = view.votes.filter((v) => v.status === 'closed');
  const firstPending = items.find((i) => i.status === 'current') ?? items.find((i) => i.status === 'pending') ?? items[0];
  const [subject, setSubject] = useState<Subject>(firstPending ? 'item' : 'question');
  const [itemId, setItemId] = useState(firstPending?.id ?? '');
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<VoteKind | ''>('');
  const [majority, setMajority] = useState<MajorityChoice>(majorityChoice(null, true));
  const [duration, setDuration] = useState('0');
  const [candidates, setCandidates] = useState('');
  const [repeatOf, setRepeatOf] = useState('');
  const [reason, setReason] = useState('');
  const form = useForm();
  const item = items.find((i) => i.id === itemId);
  const effectiveKind: VoteKind = kind || (subject === 'election' ? 'secret' : 'named');

  const ID = {
    subject: 'vote-subject-item',
    item: 'vote-item',
    title: 'vote-title',
    kind: 'vote-kind-named',
    majority: 'vote-majority',
    duration: 'vote-duration',
    candidates: 'vote-candidates',
    repeat: 'vote-repeat',
    reason: 'vote-reason',
  };

  const submit = form.submitWith({
    check: () => {
      const problems: FieldError[] = [];
      if (subject !== 'item' && !title.trim()) problems.push({ id: ID.title, label: t('council.vote_question'), message: t('validation.required') });
      if (subject === 'election' && !candidates.trim()) problems.push({ id: ID.candidates, label: t('council.candidates'), message: t('validation.required') });
      if (repeatOf && !reason.trim()) problems.push({ id: ID.reason, label: t('council.repeat_reason'), message: t('validation.required') });
      return problems;
    },
    send: async () => {
      const body: VoteInput = {};
      if (subject === 'item' && itemId) body.item_id = itemId;
      if (title.trim()) body.title = title.trim();
      if (kind) body.kind = kind;
      const m = majorityInput(majority);
      if (m !== undefined) body.majority = m;
      if (Number(duration) > 0) body.duration = Number(duration);
      if (subject === 'election')
        body.candidates = candidates
          .split('\n')
          .map((c) => c.trim())
          .filter(Boolean);
      if (repeatOf) {
        body.repeat_of = repeatOf;
        body.repeat_reason = reason.trim();
      }
      const vote = await council.openVote(view.id, body);
      setTitle('');
      setCandidates('');
      setRepeatOf('');
      setReason('');
      onChanged(null, t('council.vote_opened_notice', { title: voteTitle(vote) }));
      requestAnimationFrame(() => document.getElementById('open-vote-title')?.focus());
    },
    fields: {
      item_id: [ID.item, t('council.agenda_item')],
      title: [ID.title, t('council.vote_question')],
      kind: [ID.kind, t('council.vote_kind')],
      majority: [ID.majority, t('council.majority')],
      'majority.id': [ID.majority, t('council.majority')],
      'majority.base': [ID.majority, t('council.majority')],
      duration: [ID.duration, t('council.time_limit')],
      candidates: [ID.candidates, t('council.candidates')],
      repeat_of: [ID.repeat, t('council.repeat_of')],
      repeat_reason: [ID.reason, t('council.repeat_reason')],
    },
  });

  return (
    <div class="console__part">
      <h3 id="open-vote-form-title">{t('council.open_vote')}</h3>
      <form class="form" onSubmit={submit} noValidate aria-labelledby="open-vote-form-title" id="open-vote-form">
        <ErrorSummary failure={form.failure} />
        <fieldset class="fieldset">
          <legend>{t('council.vote_on')}</legend>
          <ul class="checkboxes checkboxes--row">
            {(['item', 'question', 'election'] as Subject[]).map((s) => (
              <li class="checkbox" key={s}>
                <input
                  type="radio"
                  name="vote-subject"
                  id={`vote-subject-${s}`}
                  checked={subject === s}
                  disabled={s === 'item' && items.length === 0}
                  onChange={() => {
                    setSubject(s);
                    setKind('');
                    setMajority(majorityChoice(null, s === 'item'));
                  }}
                />
                <label for={`vote-subject-${s}`}>{t(`council.vote_subject.${s}`)}</label>
              </li>
            ))}
          </ul>
        </fieldset>
        {subject === 'item' && (
          <SelectField
            id={ID.item}
            label={t('council.agenda_item')}
            error={form.errorFor(ID.item)}
            value={itemId}
            onValue={setItemId}
            options={items.map((i) => ({ value: i.id, label: `${i.position}. ${i.title}` }))}
          />
        )}
        <TextField
          id={ID.title}
          label={subject === 'item' ? t('council.vote_question_optional') : subject === 'election' ? t('council.election_title') : t('council.vote_question')}
          hint={subject === 'item' ? t('council.vote_question_hint') : undefined}
          error={form.errorFor(ID.title)}
          value={title}
          onValue={setTitle}
          maxLength={500}
        />
        {subject === 'election' && (
          <TextAreaField
            id={ID.candidates}
            label={t('council.candidates')}
            hint={t('council.candidates_hint')}
            error={form.errorFor(ID.candidates)}
            value={candidates}
            onValue={setCandidates}
            rows={3}
          />
        )}
        <fieldset class="fieldset" aria-describedby={item?.named_required && subject === 'item' ? 'vote-kind-hint' : undefined}>
          <legend>{t('council.vote_kind')}</legend>
          {item?.named_required && subject === 'item' && (
            <p class="field__hint" id="vote-kind-hint">
              {t('council.named_required')}
            </p>
          )}
          {form.errorFor(ID.kind) && <p class="field__error">{form.errorFor(ID.kind)}</p>}
          <ul class="checkboxes checkboxes--row">
            {VOTE_KINDS.map((k) => (
              <li class="checkbox" key={k}>
                <input type="radio" name="vote-kind" id={`vote-kind-${k}`} checked={effectiveKind === k} onChange={() => setKind(k)} />
                <label for={`vote-kind-${k}`}>{voteKindLabel(k)}</label>
              </li>
            ))}
          </ul>
        </fieldset>
        <MajorityFields
          idPrefix="vote"
          jurisdiction={view.body.jurisdiction}
          value={majority}
          onChange={setMajority}
          keepLabel={subject === 'item' && item ? t('council.majority_keep', { rule: majorityLabel(item.majority) }) : undefined}
          defaultLabel={subject !== 'item' ? t('council.majority_default') : undefined}
          error={form.errorFor(ID.majority)}
        />
        <SelectField
          id={ID.duration}
          label={t('council.time_limit')}
          error={form.errorFor(ID.duration)}
          value={duration}
          onValue={setDuration}
          options={DURATIONS.map((d) => ({ value: String(d), label: d === 0 ? t('council.no_time_limit') : d < 60 ? t('council.seconds', { n: d }) : t('council.minutes', { n: d / 60 }) }))}
        />
        {closedVotes.length > 0 && (
          <>
            <SelectField
              id={ID.repeat}
              label={t('council.repeat_of')}
              hint={t('council.repeat_hint')}
              error={form.errorFor(ID.repeat)}
              value={repeatOf}
              onValue={setRepeatOf}
              options={[{ value: '', label: t('council.repeat_none') }, ...closedVotes.map((v) => ({ value: v.id, label: `${t('council.vote_number', { number: v.number })}: ${voteTitle(v)}` }))]}
            />
            {repeatOf && (
              <TextField id={ID.reason} label={t('council.repeat_reason')} error={form.errorFor(ID.reason)} value={reason} onValue={setReason} maxLength={500} />
            )}
          </>
        )}
        <p class="muted">{t('council.open_vote_hint')}</p>
        <button type="submit" class="button" disabled={form.busy} id="open-vote-submit">
          {t('council.open_vote_submit')}
        </button>
      </form>
    </div>
  );
}

