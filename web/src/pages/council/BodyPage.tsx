// /council/bodies/:id — a council or committee: its facts, its party groups, who held a place in
// it on a date (or ever), its sittings; for administrators adding a member (found in the
// directory) with role, seat, group and dates, ending a membership, adding a group.
import { useEffect, useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { Problem } from '../../lib/api';
import { failureFrom, requiredError, type FormFailure } from '../../lib/forms';
import { formatNumber, t } from '../../lib/i18n';
import { Link } from '../../lib/router';
import { useForm } from '../../lib/useForm';
import {
  bodyKindLabel, council, memberRoleLabel, todayKey, type CouncilBody, type CouncilGroup, type CouncilMember, type Sitting,
} from '../../lib/council';
import { zoneLabel } from '../../lib/workspace';
import { Loading, Missing, PersonPick, StatusSlot, usePersonPick, useWorkspaceFlash } from '../workspace/common';
import { SittingItem } from './common';
import { BodyForm, changedOnly, FormButtons, checkMembership, membershipFieldMap, MembershipFields, membershipPayload, newMembership, type Membership } from './forms';

export function BodyPage({ id }: { id: string }) {
  const [body, setBody] = useState<CouncilBody | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [missing, setMissing] = useState(false);
  const flash = useWorkspaceFlash();
  const [notice, setNotice] = useState(flash?.text ?? '');
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState(false);

  const load = async () => {
    try {
      setBody(await council.body(id));
      setFailure(null);
    } catch (error) {
      if (error instanceof Problem && error.slug === 'not-found') setMissing(true);
      else setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, [id]);

  if (missing) return <Missing title={t('council.body_missing')} text={t('council.body_missing_text')} back="/council" backLabel={t('council.back')} />;
  if (!body) return <Loading title={t('council.body')} failure={failure} retry={() => void load()} />;

  const admin = !!body.me?.administers;
  const changed = (text: string) => {
    setNotice(text);
    setVersion((v) => v + 1);
    void load();
  };

  return (
    <>
      <nav class="breadcrumbs" aria-label={t('docs.breadcrumbs')}>
        <ol>
          <li>
            <Link href="/council">{t('council.title')}</Link>
          </li>
          <li>
            <span aria-current="page">{body.name}</span>
          </li>
        </ol>
      </nav>
      <PageTitle title={body.name} />
      <StatusSlot id="body-notice">{notice}</StatusSlot>
      {admin && (
        <div class="button-row">
          <button type="button" class="button button--secondary" id="edit-body-button" onClick={() => setEditing(true)}>
            {t('council.edit_body')}
          </button>
        </div>
      )}
      {editing && (
        <Dialog id="edit-body" title={t('council.edit_body_title', { name: body.name })} onCancel={() => setEditing(false)}>
          <BodyForm
            id="edit-body-form"
            labelledBy="edit-body-title"
            body={body}
            defaultZone={body.time_zone}
            submitLabel={t('common.save')}
            onCancel={() => setEditing(false)}
            onDone={(fresh) => {
              setEditing(false);
              setBody({ ...body, ...fresh });
              changed(t('council.body_changed'));
            }}
          />
        </Dialog>
      )}
      <dl class="facts">
        <div>
          <dt>{t('council.body_kind')}</dt>
          <dd>{bodyKindLabel(body.kind)}</dd>
        </div>
        <div>
          <dt>{t('council.seats')}</dt>
          <dd>{formatNumber(body.seats)}</dd>
        </div>
        <div>
          <dt>{t('council.jurisdiction')}</dt>
          <dd>{t(`council.jurisdiction.${body.jurisdiction}`)}</dd>
        </div>
        <div>
          <dt>{t('council.term')}</dt>
          <dd>{body.term_end ? `${body.term_start} – ${body.term_end}` : t('council.term_from', { from: body.term_start })}</dd>
        </div>
        <div>
          <dt>{t('meetings.zone')}</dt>
          <dd>{zoneLabel(body.time_zone)}</dd>
        </div>
        <div>
          <dt>{t('council.vote_change')}</dt>
          <dd>{body.vote_change ? t('council.vote_change_yes') : t('council.vote_change_no')}</dd>
        </div>
      </dl>
      <div class="stack">
        <Members body={body} admin={admin} version={version} onChanged={changed} />
        <Groups body={body} admin={admin} onChanged={changed} />
        <BodySittings bodyId={body.id} />
      </div>
    </>
  );
}

// ---------------------------------------------------------------- members

function Members({ body, admin, version, onChanged }: { body: CouncilBody; admin: boolean; version: number; onChanged: (text: string) => void }) {
  const [on, setOn] = useState(todayKey());
  const [all, setAll] = useState(false);
  const [members, setMembers] = useState<CouncilMember[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [ending, setEnding] = useState<CouncilMember | null>(null);
  const [changing, setChanging] = useState<CouncilMember | null>(null);
  const day = all ? 'all' : /^\d{4}-\d{2}-\d{2}$/.test(on) ? on : todayKey();

  useEffect(() => {
    setMembers(null);
    council
      .members(body.id, day)
      .then((list) => {
        setMembers(list);
        setFailure(null);
      })
      .catch((error) => setFailure(failureFrom(error, { on: ['members-on', t('council.members_on')] })));
  }, [body.id, day, version]);

  const voting = members?.filter((m) => m.role !== 'clerk').length ?? 0;
  return (
    <>
      <section class="card" aria-labelledby="members-title" id="members">
        <h2 id="members-title">{t('council.members')}</h2>
        <form class="filters" onSubmit={(e) => e.preventDefault()} aria-labelledby="members-title">
          <TextField id="members-on" type="date" label={t('council.members_on')} value={on} onValue={setOn} disabled={all} />
          <div class="checkbox">
            <input type="checkbox" id="members-all" checked={all} onChange={(e) => setAll((e.currentTarget as HTMLInputElement).checked)} />
            <label for="members-all">{t('council.members_all')}</label>
          </div>
        </form>
        <ErrorSummary failure={failure} />
        <p class="muted" role="status">
          {members === null ? (failure ? '' : t('common.loading')) : t('council.members_count', { voting: formatNumber(voting), seats: formatNumber(body.seats) })}
        </p>
        {members && members.length > 0 && (
          <div class="table-wrap" role="region" aria-labelledby="members-title" tabIndex={0}>
            <table class="table table--stack" id="members-table">
              <caption class="visually-hidden">{t('council.members')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('people.name')}</th>
                  <th scope="col">{t('council.role')}</th>
                  <th scope="col">{t('council.seat')}</th>
                  <th scope="col">{t('council.group')}</th>
                  <th scope="col">{t('council.from_to')}</th>
                  {admin && <th scope="col">{t('common.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.id} data-member-id={m.id}>
                    <th scope="row">{m.person.display_name}</th>
                    <td>{memberRoleLabel(m.role)}</td>
                    <td>{m.seat}</td>
                    <td>{m.group?.name ?? ''}</td>
                    <td>{m.to_date ? `${m.from_date} – ${m.to_date}` : t('council.term_from', { from: m.from_date })}</td>
                    {admin && (
                      <td>
                        <div class="button-row button-row--tight">
                          <button type="button" class="button button--small button--secondary" onClick={() => setChanging(m)}>
                            {t('council.change_membership')}
                            <span class="visually-hidden"> — {m.person.display_name}</span>
                          </button>
                          {!m.to_date && (
                            <button type="button" class="button button--small button--secondary" onClick={() => setEnding(m)}>
                              {t('council.end_membership')}
                              <span class="visually-hidden"> — {m.person.display_name}</span>
                            </button>
                          )}
                        </div>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {members && members.length === 0 && <p>{t('council.members_none')}</p>}
        {changing && (
          <ChangeMembership
            member={changing}
            groups={body.groups ?? []}
            onDone={(text) => {
              setChanging(null);
              if (text) onChanged(text);
            }}
          />
        )}
        {ending && (
          <EndMembership
            member={ending}
            onDone={(text) => {
              setEnding(null);
              if (text) onChanged(text);
            }}
          />
        )}
      </section>
      {admin && <AddMember body={body} onAdded={onChanged} />}
    </>
  );
}

function EndMembership({ member, onDone }: { member: CouncilMember; onDone: (text: string | null) => void }) {
  const [to, setTo] = useState(todayKey());
  const form = useForm();
  const submit = form.submitWith({
    check: () => (/^\d{4}-\d{2}-\d{2}$/.test(to) ? [] : [requiredError('end-to', t('council.last_day'))]),
    send: async () => {
      await council.changeMember(member.id, { to_date: to });
      onDone(t('council.membership_ended', { name: member.person.display_name, date: to }));
    },
    fields: { to_date: ['end-to', t('council.last_day')] },
  });
  return (
    <Dialog id="end-membership" title={t('council.end_membership_title', { name: member.person.display_name })} onCancel={() => onDone(null)}>
      <form class="form" onSubmit={submit} noValidate>
        <ErrorSummary failure={form.failure} />
        <TextField id="end-to" type="date" label={t('council.last_day')} hint={t('council.last_day_hint')} error={form.errorFor('end-to')} value={to} onValue={setTo} />
        <FormButtons submit={t('council.end_membership')} busy={form.busy} onCancel={() => onDone(null)} />
      </form>
    </Dialog>
  );
}

const CHANGE = 'change-member';

const membershipOf = (m: CouncilMember): Membership => ({ role: m.role, seat: m.seat, groupId: m.group?.id ?? '', from: m.from_date, to: m.to_date ?? '' });

function ChangeMembership({ member, groups, onDone }: { member: CouncilMember; groups: CouncilGroup[]; onDone: (text: string | null) => void }) {
  const [value, setValue] = useState(() => membershipOf(member));
  const form = useForm();
  const submit = form.submitWith({
    check: () => checkMembership(CHANGE, value),
    send: async () => {
      const changes = changedOnly(membershipPayload(value), membershipPayload(membershipOf(member)));
      if (Object.keys(changes).length) await council.changeMember(member.id, changes);
      onDone(t('council.membership_changed', { name: member.person.display_name }));
    },
    fields: membershipFieldMap(CHANGE),
  });
  return (
    <Dialog id="change-membership" title={t('council.change_membership_title', { name: member.person.display_name })} onCancel={() => onDone(null)}>
      <form class="form" onSubmit={submit} noValidate aria-labelledby="change-membership-title" id="change-membership-form">
        <ErrorSummary failure={form.failure} />
        <MembershipFields prefix={CHANGE} groups={groups} value={value} onChange={setValue} errorFor={form.errorFor} />
        <FormButtons submit={t('common.save')} busy={form.busy} onCancel={() => onDone(null)} />
      </form>
    </Dialog>
  );
}

const FIND_ID = 'member-find';
const ADD = 'member';

function AddMember({ body, onAdded }: { body: CouncilBody; onAdded: (text: string) => void }) {
  const [value, setValue] = useState(newMembership);
  const pick = usePersonPick(FIND_ID, 'member-pick-', t('council.member_find'));
  const form = useForm();

  const submit = form.submitWith({
    check: () => [...pick.missing(), ...checkMembership(ADD, value)],
    send: async () => {
      const person = pick.search.found?.find((p) => p.id === pick.chosen);
      // What is left empty is not sent (the server's defaults: no seat, no group, no last day).
      const given = Object.fromEntries(Object.entries(membershipPayload(value)).filter(([, v]) => v !== '' && v !== null));
      await council.addMember(body.id, { person_id: pick.chosen, ...given });
      pick.reset();
      setValue((old) => ({ ...old, seat: '' }));
      onAdded(t('council.member_added', { name: person?.name ?? '' }));
      requestAnimationFrame(() => document.getElementById(FIND_ID)?.focus());
    },
    fields: { person_id: [pick.firstPick, t('council.member_find')], ...membershipFieldMap(ADD) },
  });
  return (
    <section class="card" aria-labelledby="add-member-title">
      <h2 id="add-member-title">{t('council.add_member')}</h2>
      <form class="form" onSubmit={submit} noValidate aria-labelledby="add-member-title" id="add-member-form">
        <ErrorSummary failure={form.failure ?? pick.search.failure} />
        <PersonPick {...pick.props} legend={t('rooms.member_pick')} errorFor={form.errorFor} />
        <MembershipFields prefix={ADD} groups={body.groups ?? []} value={value} onChange={setValue} errorFor={form.errorFor} />
        <button type="submit" class="button" disabled={form.busy}>
          {t('council.add_member_submit')}
        </button>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------- groups

function Groups({ body, admin, onChanged }: { body: CouncilBody; admin: boolean; onChanged: (text: string) => void }) {
  const [name, setName] = useState('');
  const [short, setShort] = useState('');
  const form = useForm();
  const groups = body.groups ?? [];
  const submit = form.submitWith({
    check: () => (name.trim() ? [] : [requiredError('group-name', t('council.group_name'))]),
    send: async () => {
      const made = await council.addGroup(body.id, short.trim() ? { name: name.trim(), short_name: short.trim() } : { name: name.trim() });
      setName('');
      setShort('');
      onChanged(t('council.group_added', { name: made.name }));
    },
    fields: { name: ['group-name', t('council.group_name')], short_name: ['group-short', t('council.group_short')] },
  });
  return (
    <section class="card" aria-labelledby="groups-title" id="groups">
      <h2 id="groups-title">{t('council.groups')}</h2>
      {groups.length === 0 ? (
        <p>{t('council.groups_none')}</p>
      ) : (
        <ul class="plain-list">
          {groups.map((g) => (
            <li key={g.id}>
              {g.name}
              {g.short_name && <span class="muted"> ({g.short_name})</span>}
            </li>
          ))}
        </ul>
      )}
      {admin && (
        <form class="form" onSubmit={submit} noValidate aria-labelledby="add-group-title">
          <h3 id="add-group-title">{t('council.add_group')}</h3>
          <ErrorSummary failure={form.failure} />
          <div class="form__row">
            <TextField id="group-name" label={t('council.group_name')} error={form.errorFor('group-name')} value={name} onValue={setName} maxLength={200} />
            <TextField id="group-short" label={t('council.group_short')} error={form.errorFor('group-short')} value={short} onValue={setShort} maxLength={20} class="input--short" />
          </div>
          <button type="submit" class="button button--secondary" disabled={form.busy}>
            {t('council.add_group_submit')}
          </button>
        </form>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- sittings

function BodySittings({ bodyId }: { bodyId: string }) {
  const [sittings, setSittings] = useState<Sitting[] | null>(null);
  useEffect(() => {
    council
      .sittings({ body_id: bodyId })
      .then(setSittings)
      .catch(() => setSittings([]));
  }, [bodyId]);
  return (
    <section class="card" aria-labelledby="body-sittings-title">
      <h2 id="body-sittings-title">{t('council.sittings')}</h2>
      {sittings === null ? (
        <p>{t('common.loading')}</p>
      ) : sittings.length === 0 ? (
        <p>{t('council.sittings_none')}</p>
      ) : (
        <ul class="meeting-list">
          {sittings.map((s) => (
            <SittingItem key={s.id} sitting={s} showBody={false} />
          ))}
        </ul>
      )}
    </section>
  );
}
