// The council's forms that are used twice — once to make a thing, once to change it: a sitting
// (scheduled from /council, changed on its page while it has not begun), a body (added on
// /council, changed on its page), and a membership's role, seat, group and dates (added and
// changed on the body's page). A change sends only what was changed.
import { useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField, TextField } from '../../components/Field';
import { Problem } from '../../lib/api';
import { problemMessage, requiredError, type FieldError, type FormFailure } from '../../lib/forms';
import { t, tPlural } from '../../lib/i18n';
import {
  bodyKindLabel, council, memberRoleLabel, MEMBER_ROLES, SITTING_KINDS, SITTING_MODES, sittingKindLabel, sittingModeLabel, todayKey, type BodyKind,
  type CouncilBody, type CouncilGroup, type Sitting, type SittingView,
} from '../../lib/council';
import { useForm } from '../../lib/useForm';
import { zoneLabel, zoneOptions } from '../../lib/workspace';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Only the values that differ from `before` (all of them when there is nothing before). */
export function changedOnly(next: Record<string, unknown>, before?: Record<string, unknown>): Record<string, unknown> {
  if (!before) return next;
  return Object.fromEntries(Object.entries(next).filter(([k, v]) => before[k] !== v));
}

/** A refusal for want of rights says why in the server's own words ("Only the meeting's organiser…"). */
function forbiddenInOwnWords(error: unknown, failure: FormFailure): FormFailure {
  return error instanceof Problem && error.status === 403 && error.detail ? { ...failure, message: `${problemMessage(error)} ${error.detail}` } : failure;
}

/** A labelled checkbox (with an optional hint). */
export function Checkbox({ id, label, hint, checked, onChecked }: { id: string; label: string; hint?: string; checked: boolean; onChecked: (on: boolean) => void }) {
  return (
    <div>
      <div class="checkbox">
        <input type="checkbox" id={id} checked={checked} aria-describedby={hint ? `${id}-hint` : undefined} onChange={(e) => onChecked((e.currentTarget as HTMLInputElement).checked)} />
        <label for={id}>{label}</label>
      </div>
      {hint && (
        <p class="field__hint checkbox__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** The buttons at the foot of a form (and "Cancel" when it is in a dialog). */
export function FormButtons({ submit, busy, onCancel, submitId }: { submit: string; busy: boolean; onCancel?: () => void; submitId?: string }) {
  return (
    <div class="button-row">
      <button type="submit" class="button" disabled={busy} id={submitId}>
        {submit}
      </button>
      {onCancel && (
        <button type="button" class="button button--secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- a sitting

const HOURS = [1, 2, 3, 4, 6, 8];

/**
 * Scheduling a sitting in one of `bodies` (with a body picker), or changing `sitting` (its
 * body stays). The start is a wall time in the body's zone. `onDone` gets what the server
 * answered.
 */
export function SittingForm({
  id,
  labelledBy,
  bodies = [],
  sitting,
  submitLabel,
  onDone,
  onCancel,
}: {
  id: string;
  /** The id of the heading that names the form. */
  labelledBy: string;
  bodies?: CouncilBody[];
  sitting?: Sitting;
  submitLabel: string;
  onDone: (made: SittingView) => void;
  onCancel?: () => void;
}) {
  const [bodyId, setBodyId] = useState(sitting?.body.id ?? bodies[0]?.id ?? '');
  const [title, setTitle] = useState(sitting?.title ?? '');
  const [date, setDate] = useState(sitting?.start.slice(0, 10) ?? '');
  const [time, setTime] = useState(sitting?.start.slice(11, 16) ?? '10:00');
  const [mode, setMode] = useState<string>(sitting?.mode ?? 'in_person');
  const [kind, setKind] = useState<string>(sitting?.kind ?? 'regular');
  const [place, setPlace] = useState(sitting?.place ?? '');
  const [hours, setHours] = useState(sitting ? String(sitting.duration / 3600) : '4');
  const form = useForm();
  const zone = sitting?.time_zone ?? (bodies.find((b) => b.id === bodyId) ?? bodies[0])?.time_zone ?? 'UTC';
  const durations = HOURS.includes(Number(hours)) ? HOURS : [...HOURS, Number(hours)].sort((a, b) => a - b);
  const ID = {
    body: `${id}-body`,
    title: `${id}-title`,
    date: `${id}-date`,
    time: `${id}-time`,
    mode: `${id}-mode`,
    kind: `${id}-kind`,
    place: `${id}-place`,
    duration: `${id}-duration`,
  };

  const submit = form.submitWith({
    check: () => {
      const problems: FieldError[] = [];
      if (!title.trim()) problems.push(requiredError(ID.title, t('council.sitting_title')));
      if (!DAY.test(date)) problems.push(requiredError(ID.date, t('council.date')));
      if (!/^\d{2}:\d{2}$/.test(time)) problems.push(requiredError(ID.time, t('council.time')));
      return problems;
    },
    send: async () => {
      const fields = { title: title.trim(), start: `${date}T${time}`, mode, kind, place: place.trim(), duration: Math.round(Number(hours) * 3600) };
      if (!sitting) return onDone(await council.schedule({ body_id: bodyId, ...fields }));
      const before = { title: sitting.title, start: sitting.start.slice(0, 16), mode: sitting.mode, kind: sitting.kind, place: sitting.place, duration: sitting.duration };
      onDone(await council.changeSitting(sitting.id, changedOnly(fields, before)));
    },
    fields: {
      body_id: [ID.body, t('council.body')],
      title: [ID.title, t('council.sitting_title')],
      start: [ID.date, t('council.date')],
      mode: [ID.mode, t('council.mode_label')],
      kind: [ID.kind, t('council.kind_label')],
      place: [ID.place, t('council.place')],
      duration: [ID.duration, t('council.duration')],
    },
    refused: forbiddenInOwnWords,
  });

  return (
    <form class="form" onSubmit={submit} noValidate aria-labelledby={labelledBy} id={id}>
      <ErrorSummary failure={form.failure} />
      {!sitting && (
        <SelectField id={ID.body} label={t('council.body')} error={form.errorFor(ID.body)} value={bodyId} onValue={setBodyId} options={bodies.map((b) => ({ value: b.id, label: b.name }))} />
      )}
      <TextField id={ID.title} label={t('council.sitting_title')} hint={t('council.sitting_title_hint')} error={form.errorFor(ID.title)} value={title} onValue={setTitle} maxLength={300} required />
      <div class="form__row">
        <TextField id={ID.date} type="date" label={t('council.date')} error={form.errorFor(ID.date)} value={date} onValue={setDate} required />
        <TextField
          id={ID.time}
          type="time"
          label={t('council.time')}
          hint={t('council.time_hint', { zone: zoneLabel(zone) })}
          error={form.errorFor(ID.time)}
          value={time}
          onValue={setTime}
          required
        />
        <SelectField
          id={ID.duration}
          label={t('council.duration')}
          error={form.errorFor(ID.duration)}
          value={hours}
          onValue={setHours}
          options={durations.map((h) => ({ value: String(h), label: tPlural('meetings.hours', h) }))}
        />
      </div>
      <div class="form__row">
        <SelectField id={ID.mode} label={t('council.mode_label')} error={form.errorFor(ID.mode)} value={mode} onValue={setMode} options={SITTING_MODES.map((m) => ({ value: m, label: sittingModeLabel(m) }))} />
        <SelectField id={ID.kind} label={t('council.kind_label')} error={form.errorFor(ID.kind)} value={kind} onValue={setKind} options={SITTING_KINDS.map((k) => ({ value: k, label: sittingKindLabel(k) }))} />
      </div>
      <TextField id={ID.place} label={t('council.place')} hint={t('council.place_hint')} error={form.errorFor(ID.place)} value={place} onValue={setPlace} maxLength={300} />
      <FormButtons submit={submitLabel} busy={form.busy} onCancel={onCancel} />
    </form>
  );
}

// ---------------------------------------------------------------- a body

const BODY_KINDS: BodyKind[] = ['council', 'standing_committee', 'temporary_committee'];

/**
 * Adding a body (`parents` are the bodies a committee may belong to), or changing `body` (all
 * but its parent). `onDone` gets what the server answered.
 */
export function BodyForm({
  id,
  labelledBy,
  body,
  parents = [],
  defaultZone,
  submitLabel,
  onDone,
  onCancel,
}: {
  id: string;
  /** The id of the heading that names the form. */
  labelledBy: string;
  body?: CouncilBody;
  parents?: CouncilBody[];
  defaultZone: string;
  submitLabel: string;
  onDone: (body: CouncilBody) => void;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(body?.name ?? '');
  const [kind, setKind] = useState<string>(body?.kind ?? 'council');
  const [parentId, setParentId] = useState('');
  const [jurisdiction, setJurisdiction] = useState<string>(body?.jurisdiction ?? (defaultZone === 'Europe/Warsaw' ? 'pl' : 'bg'));
  const [seats, setSeats] = useState(body ? String(body.seats) : '');
  const [termStart, setTermStart] = useState(body?.term_start ?? '');
  const [termEnd, setTermEnd] = useState(body?.term_end ?? '');
  const [zone, setZone] = useState(body?.time_zone ?? defaultZone);
  const [voteChange, setVoteChange] = useState(body?.vote_change ?? false);
  const [camera, setCamera] = useState(body?.camera_required ?? false);
  const form = useForm();
  const ID = {
    name: `${id}-name`,
    kind: `${id}-kind`,
    parent: `${id}-parent`,
    jurisdiction: `${id}-jurisdiction`,
    seats: `${id}-seats`,
    termStart: `${id}-term-start`,
    termEnd: `${id}-term-end`,
    zone: `${id}-zone`,
    voteChange: `${id}-vote-change`,
    camera: `${id}-camera`,
  };
  const committee = kind !== 'council';

  const submit = form.submitWith({
    check: () => {
      const problems: FieldError[] = [];
      if (!name.trim()) problems.push(requiredError(ID.name, t('council.body_name')));
      if (!/^\d+$/.test(seats.trim()) || Number(seats) < 1) problems.push(requiredError(ID.seats, t('council.seats')));
      if (!DAY.test(termStart)) problems.push(requiredError(ID.termStart, t('council.term_start')));
      return problems;
    },
    send: async () => {
      const fields: Record<string, unknown> = {
        name: name.trim(),
        kind,
        jurisdiction,
        seats: Number(seats),
        term_start: termStart,
        term_end: termEnd || null,
        time_zone: zone,
        vote_change: voteChange,
        camera_required: camera,
      };
      if (!body) return onDone(await council.addBody(committee && parentId ? { ...fields, parent_id: parentId } : fields));
      onDone(await council.changeBody(body.id, changedOnly(fields, { ...body, term_end: body.term_end ?? null })));
    },
    fields: {
      name: [ID.name, t('council.body_name')],
      kind: [ID.kind, t('council.body_kind')],
      parent_id: [ID.parent, t('council.parent_body')],
      jurisdiction: [ID.jurisdiction, t('council.jurisdiction')],
      seats: [ID.seats, t('council.seats')],
      term_start: [ID.termStart, t('council.term_start')],
      term_end: [ID.termEnd, t('council.term_end_optional')],
      time_zone: [ID.zone, t('meetings.zone')],
      vote_change: [ID.voteChange, t('council.vote_change_label')],
      camera_required: [ID.camera, t('council.camera_required_label')],
    },
    refused: forbiddenInOwnWords,
  });

  return (
    <form class="form" onSubmit={submit} noValidate aria-labelledby={labelledBy} id={id}>
      <ErrorSummary failure={form.failure} />
      <TextField id={ID.name} label={t('council.body_name')} error={form.errorFor(ID.name)} value={name} onValue={setName} maxLength={200} required />
      <div class="form__row">
        <SelectField id={ID.kind} label={t('council.body_kind')} error={form.errorFor(ID.kind)} value={kind} onValue={setKind} options={BODY_KINDS.map((k) => ({ value: k, label: bodyKindLabel(k) }))} />
        {!body && committee && (
          <SelectField
            id={ID.parent}
            label={t('council.parent_body')}
            error={form.errorFor(ID.parent)}
            value={parentId}
            onValue={setParentId}
            options={[{ value: '', label: t('council.no_parent') }, ...parents.map((b) => ({ value: b.id, label: b.name }))]}
          />
        )}
        <SelectField
          id={ID.jurisdiction}
          label={t('council.jurisdiction')}
          error={form.errorFor(ID.jurisdiction)}
          value={jurisdiction}
          onValue={setJurisdiction}
          options={(['bg', 'pl'] as const).map((j) => ({ value: j, label: t(`council.jurisdiction.${j}`) }))}
        />
      </div>
      <div class="form__row">
        <TextField id={ID.seats} type="number" label={t('council.seats')} error={form.errorFor(ID.seats)} value={seats} onValue={setSeats} min={1} max={100000} class="input--short" required />
        <TextField id={ID.termStart} type="date" label={t('council.term_start')} error={form.errorFor(ID.termStart)} value={termStart} onValue={setTermStart} required />
        <TextField id={ID.termEnd} type="date" label={t('council.term_end_optional')} error={form.errorFor(ID.termEnd)} value={termEnd} onValue={setTermEnd} />
      </div>
      <SelectField id={ID.zone} label={t('meetings.zone')} error={form.errorFor(ID.zone)} value={zone} onValue={setZone} options={zoneOptions(zone)} />
      <Checkbox id={ID.voteChange} label={t('council.vote_change_label')} hint={t('council.vote_change_hint')} checked={voteChange} onChecked={setVoteChange} />
      <Checkbox id={ID.camera} label={t('council.camera_required_label')} checked={camera} onChecked={setCamera} />
      <FormButtons submit={submitLabel} busy={form.busy} onCancel={onCancel} />
    </form>
  );
}

// ---------------------------------------------------------------- a membership

export interface Membership {
  role: string;
  seat: string;
  groupId: string;
  from: string;
  to: string;
}

export const newMembership = (): Membership => ({ role: 'member', seat: '', groupId: '', from: todayKey(), to: '' });

/** What the server calls the fields, as it wants them (no group and no last day: null). */
export const membershipPayload = (m: Membership) => ({
  role: m.role,
  seat: m.seat.trim(),
  group_id: m.groupId || null,
  from_date: m.from,
  to_date: m.to || null,
});

/** The server's field names → this form's inputs (for `useForm`'s `fields`). */
export function membershipFieldMap(prefix: string): Record<string, [string, string]> {
  return {
    role: [`${prefix}-role`, t('council.role')],
    seat: [`${prefix}-seat`, t('council.seat')],
    group_id: [`${prefix}-group`, t('council.group')],
    from_date: [`${prefix}-from`, t('council.first_day')],
    to_date: [`${prefix}-to`, t('council.last_day')],
  };
}

export function checkMembership(prefix: string, m: Membership): FieldError[] {
  return DAY.test(m.from) ? [] : [requiredError(`${prefix}-from`, t('council.first_day'))];
}

/** Role, seat, group, first and last day. */
export function MembershipFields({
  prefix,
  groups,
  value,
  onChange,
  errorFor,
}: {
  prefix: string;
  groups: CouncilGroup[];
  value: Membership;
  onChange: (next: Membership) => void;
  errorFor: (id: string) => string | undefined;
}) {
  const set = (patch: Partial<Membership>) => onChange({ ...value, ...patch });
  return (
    <>
      <div class="form__row">
        <SelectField
          id={`${prefix}-role`}
          label={t('council.role')}
          error={errorFor(`${prefix}-role`)}
          value={value.role}
          onValue={(role) => set({ role })}
          options={MEMBER_ROLES.map((r) => ({ value: r, label: memberRoleLabel(r) }))}
        />
        <TextField id={`${prefix}-seat`} label={t('council.seat')} error={errorFor(`${prefix}-seat`)} value={value.seat} onValue={(seat) => set({ seat })} maxLength={50} class="input--short" />
        <SelectField
          id={`${prefix}-group`}
          label={t('council.group')}
          error={errorFor(`${prefix}-group`)}
          value={value.groupId}
          onValue={(groupId) => set({ groupId })}
          options={[{ value: '', label: t('council.no_group') }, ...groups.map((g) => ({ value: g.id, label: g.name }))]}
        />
      </div>
      <div class="form__row">
        <TextField id={`${prefix}-from`} type="date" label={t('council.first_day')} error={errorFor(`${prefix}-from`)} value={value.from} onValue={(from) => set({ from })} />
        <TextField id={`${prefix}-to`} type="date" label={t('council.last_day_optional')} error={errorFor(`${prefix}-to`)} value={value.to} onValue={(to) => set({ to })} />
      </div>
    </>
  );
}
