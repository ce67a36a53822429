// Administration → Groups of people: named sets of people from any units (a working group, a
// project team) that documents can be shared with. Anyone with `people.read` sees them; only
// `people.manage` creates, renames, changes the members and deletes.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { PagedTable, usePagedList } from '../../components/PagedTable';
import { api, Problem, query } from '../../lib/api';
import { failureFrom, requiredError, type FieldError, type FormFailure } from '../../lib/forms';
import { formatDateTime, formatNumber, t, tMaybe, tPlural } from '../../lib/i18n';
import { Link, navigate } from '../../lib/router';
import { createStore } from '../../lib/store';
import type { Group, GroupDetail, GroupMember, Person } from '../../lib/types';
import { useForm } from '../../lib/useForm';

const enc = encodeURIComponent;
const groupHref = (id: string) => `/admin/groups/${enc(id)}`;
const NAME_MAX = 200;
const DESCRIPTION_MAX = 1000;
const statusLabel = (status: string) => tMaybe(`status.${status}`) ?? status;

/** A sentence for the next groups page (after creating or deleting a group). */
const groupsFlash = createStore<string | null>(null);

function useFlash(): string {
  const [text] = useState(() => {
    const value = groupsFlash.get();
    groupsFlash.set(null);
    return value ?? '';
  });
  return text;
}

/** A polite region that is always in the page, so that what appears in it is announced. */
function StatusSlot({ children }: { children?: ComponentChildren }) {
  return (
    <div role="status" class="status-slot">
      {children ? <div class="notice">{children}</div> : null}
    </div>
  );
}

const focusById = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus());

/**
 * The refusal of a name in use (409 `name-taken`, any letter case): said in the words of groups,
 * on the name field and in the summary.
 */
function nameTaken(nameId: string) {
  return (error: unknown, failure: FormFailure): FormFailure => {
    if (!(error instanceof Problem) || error.slug !== 'name-taken') return failure;
    const message = t('groups.name_taken');
    return { ...failure, message, fields: [{ id: nameId, label: t('groups.name'), message }] };
  };
}

/** What the browser checks before sending a group's name and description. */
function checkGroup(nameId: string, descriptionId: string, name: string, description: string): FieldError[] {
  const problems: FieldError[] = [];
  if (!name.trim()) problems.push(requiredError(nameId, t('groups.name')));
  else if ([...name.trim()].length > NAME_MAX)
    problems.push({ id: nameId, label: t('groups.name'), message: t('validation.name.too_long') });
  if ([...description].length > DESCRIPTION_MAX)
    problems.push({ id: descriptionId, label: t('groups.description'), message: t('validation.description.too_long') });
  return problems;
}

// ---------------------------------------------------------------- /admin/groups

export function GroupsPage({ canManage }: { canManage: boolean }) {
  const flash = useFlash();
  return (
    <>
      <PageTitle title={t('groups.title')} />
      <p class="lead">{t('groups.intro')}</p>
      {!canManage && <p>{t('groups.read_only')}</p>}
      <StatusSlot>{flash}</StatusSlot>
      <div class="stack">
        <GroupList />
        {canManage && <AddGroup />}
      </div>
    </>
  );
}

function GroupList() {
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState('');
  const list = usePagedList<Group>((cursor) => `/groups${query({ q: filter, limit: 50, cursor })}`, [filter], {
    q: ['groups-q', t('groups.search')],
  });

  return (
    <section class="card" aria-labelledby="groups-list-title">
      <h2 id="groups-list-title" tabIndex={-1}>
        {t('groups.list')}
      </h2>
      <form
        class="filters"
        role="search"
        aria-label={t('groups.search_label')}
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(q.trim());
        }}
      >
        <TextField
          id="groups-q"
          label={t('groups.search')}
          type="search"
          value={q}
          onValue={setQ}
          maxLength={100}
          autocomplete="off"
          error={list.failure?.fields.find((f) => f.id === 'groups-q')?.message}
        />
        <button type="submit" class="button">
          {t('common.search')}
        </button>
      </form>
      <PagedTable
        list={list}
        labelledBy="groups-list-title"
        tableId="groups-table"
        tableClass="table--stack"
        caption={t('groups.list')}
        columns={[t('groups.name'), t('groups.members'), t('groups.changed')]}
        count={(n) => tPlural('groups.count', n)}
        empty={filter ? t('groups.none') : t('groups.none_yet')}
        row={(g) => (
          <tr key={g.id} data-group-id={g.id}>
            <th scope="row">
              <Link href={groupHref(g.id)}>{g.name}</Link>
              {g.description && <span class="table__sub group-description">{g.description}</span>}
            </th>
            <td>
              <span class="cell-label" aria-hidden="true">
                {t('groups.members')}:{' '}
              </span>
              {formatNumber(g.member_count)}
            </td>
            <td>
              <span class="cell-label" aria-hidden="true">
                {t('groups.changed')}:{' '}
              </span>
              <time dateTime={g.updated_at}>{formatDateTime(g.updated_at)}</time>
            </td>
          </tr>
        )}
      />
    </section>
  );
}

function AddGroup() {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const form = useForm();
  const NAME_ID = 'new-group-name';
  const DESCRIPTION_ID = 'new-group-description';

  const submit = form.submitWith({
    check: () => checkGroup(NAME_ID, DESCRIPTION_ID, name, description),
    send: async () => {
      const body: Record<string, unknown> = { name: name.trim() };
      if (description.trim()) body.description = description.trim();
      const created = await api.post<GroupDetail>('/groups', body);
      groupsFlash.set(t('groups.created', { name: created.name }));
      navigate(groupHref(created.id));
    },
    fields: { name: [NAME_ID, t('groups.name')], description: [DESCRIPTION_ID, t('groups.description')] },
    refused: nameTaken(NAME_ID),
  });

  return (
    <section class="card" aria-labelledby="add-group-title">
      <h2 id="add-group-title">{t('groups.add')}</h2>
      <form class="form" id="add-group-form" onSubmit={submit} noValidate aria-labelledby="add-group-title">
        <ErrorSummary failure={form.failure} />
        <TextField
          id={NAME_ID}
          label={t('groups.name')}
          hint={t('groups.name_hint')}
          error={form.errorFor(NAME_ID)}
          value={name}
          onValue={setName}
          autocomplete="off"
          maxLength={NAME_MAX}
          required
        />
        <TextField
          id={DESCRIPTION_ID}
          label={t('groups.description')}
          hint={t('groups.description_hint')}
          error={form.errorFor(DESCRIPTION_ID)}
          value={description}
          onValue={setDescription}
          autocomplete="off"
          maxLength={DESCRIPTION_MAX}
        />
        <div class="button-row">
          <button type="submit" class="button" disabled={form.busy}>
            {t('groups.create')}
          </button>
        </div>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------- /admin/groups/:id

export function GroupPage({ id, canManage }: { id: string; canManage: boolean }) {
  const [group, setGroup] = useState<GroupDetail | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [missing, setMissing] = useState(false);
  const flash = useFlash();
  const [notice, setNotice] = useState(flash);

  const load = async () => {
    setGroup(null);
    setMissing(false);
    try {
      setGroup(await api.get<GroupDetail>(`/groups/${enc(id)}`));
      setFailure(null);
      // The heading that had focus while loading is gone: give it to the new one.
      requestAnimationFrame(() => {
        const active = document.activeElement;
        if (!active || active === document.body || !active.isConnected)
          document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
      });
    } catch (error) {
      if (error instanceof Problem && error.slug === 'not-found') setMissing(true);
      else setFailure(failureFrom(error));
    }
  };

  useEffect(() => {
    void load();
  }, [id]);

  if (missing) {
    return (
      <div class="narrow">
        <PageTitle title={t('groups.missing_title')} />
        <p>{t('groups.missing_text')}</p>
        <p>
          <Link href="/admin/groups">{t('groups.back')}</Link>
        </p>
      </div>
    );
  }
  if (!group) {
    return (
      <>
        <PageTitle title={t('groups.title')} />
        <ErrorSummary failure={failure} />
        {!failure && <p role="status">{t('common.loading')}</p>}
        {failure && (
          <button type="button" class="button" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        )}
      </>
    );
  }

  const changed = (fresh: GroupDetail, text: string) => {
    setGroup(fresh);
    setNotice(text);
  };

  return (
    <>
      <nav class="breadcrumbs" aria-label={t('docs.breadcrumbs')}>
        <ol>
          <li>
            <Link href="/admin/groups">{t('groups.title')}</Link>
          </li>
          <li>
            <span aria-current="page">{group.name}</span>
          </li>
        </ol>
      </nav>
      <PageTitle title={group.name} />
      <p class="lead group-description">{group.description || t('groups.no_description')}</p>
      <dl class="facts">
        <div>
          <dt>{t('groups.members')}</dt>
          <dd>{formatNumber(group.members.length)}</dd>
        </div>
        <div>
          <dt>{t('groups.created_at')}</dt>
          <dd>
            <time dateTime={group.created_at}>{formatDateTime(group.created_at)}</time>
          </dd>
        </div>
        <div>
          <dt>{t('groups.changed')}</dt>
          <dd>
            <time dateTime={group.updated_at}>{formatDateTime(group.updated_at)}</time>
          </dd>
        </div>
      </dl>
      <StatusSlot>{notice}</StatusSlot>
      <div class="stack">
        <Members group={group} canManage={canManage} onChanged={changed} />
        {canManage && <AddMember key={group.id} group={group} onChanged={changed} />}
        {canManage && <EditGroup key={group.id} group={group} onChanged={changed} />}
        {canManage && <DeleteGroup group={group} />}
      </div>
    </>
  );
}

type OnChanged = (group: GroupDetail, notice: string) => void;

function Members({ group, canManage, onChanged }: { group: GroupDetail; canManage: boolean; onChanged: OnChanged }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);

  const remove = async (member: GroupMember) => {
    setBusy(member.id);
    try {
      const fresh = await api.delete<GroupDetail>(`/groups/${enc(group.id)}/members/${enc(member.id)}`);
      setFailure(null);
      onChanged(fresh, t('groups.removed', { name: member.display_name }));
      // The row's button is gone: continue from the list's heading.
      focusById('group-members-title');
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setBusy(null);
    }
  };

  // Name, then the short status (beside the unit when the rows stack on a phone), then the unit.
  const columns = [t('people.name'), t('people.status'), t('people.unit')];
  if (canManage) columns.push(t('common.actions'));

  return (
    <section class="card" aria-labelledby="group-members-title">
      <h2 id="group-members-title" tabIndex={-1}>
        {t('groups.members')}
      </h2>
      <ErrorSummary failure={failure} />
      {group.members.length === 0 ? (
        <p>{t('groups.members_none')}</p>
      ) : (
        <div class="table-wrap" role="region" aria-labelledby="group-members-title" tabIndex={0}>
          <table class="table table--stack" id="members-table">
            <caption class="visually-hidden">{t('groups.members')}</caption>
            <thead>
              <tr>
                {columns.map((c, i) => (
                  <th scope="col" key={i}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {group.members.map((m) => (
                <tr key={m.id} data-person-id={m.id}>
                  <th scope="row">{m.display_name}</th>
                  <td>
                    <span class={`badge badge--${m.status}`}>{statusLabel(m.status)}</span>
                  </td>
                  <td>
                    <span class="cell-label" aria-hidden="true">
                      {t('people.unit')}:{' '}
                    </span>
                    {m.unit_name ?? '—'}
                  </td>
                  {canManage && (
                    <td>
                      <button
                        type="button"
                        class="button button--small button--secondary"
                        disabled={busy === m.id}
                        onClick={() => void remove(m)}
                      >
                        {t('groups.remove')}
                        <span class="visually-hidden"> — {m.display_name}</span>
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const FIND_ID = 'member-find';
const PICK_ID = 'member-pick';

/** Finds people (not disabled ones) as their name is typed and adds the one chosen. */
function AddMember({ group, onChanged }: { group: GroupDetail; onChanged: OnChanged }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Person[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [chosen, setChosen] = useState('');
  const form = useForm();
  const seq = useRef(0);
  const members = new Set(group.members.map((m) => m.id));

  // Look people up a little after the last key.
  useEffect(() => {
    const term = q.trim();
    if (term.length < 2) {
      seq.current++;
      setFound(null);
      setSearching(false);
      return;
    }
    const mine = ++seq.current;
    const timer = window.setTimeout(async () => {
      setSearching(true);
      try {
        // Someone who has not activated yet can still be in a group; a disabled person cannot.
        const page = await api.get<{ items: Person[] }>(`/people${query({ q: term, limit: 20 })}`);
        if (mine !== seq.current) return;
        const people = page.items.filter((p) => p.status !== 'disabled').slice(0, 10);
        setFound(people);
        setChosen((old) => (people.some((p) => p.id === old) ? old : ''));
      } catch (error) {
        if (mine === seq.current) form.setFailure(failureFrom(error));
      } finally {
        if (mine === seq.current) setSearching(false);
      }
    }, 300);
    return () => window.clearTimeout(timer);
  }, [q]);

  const pickId = (p: Person) => `${PICK_ID}-${p.id}`;
  const firstOpen = found?.find((p) => !members.has(p.id));
  const firstPick = firstOpen ? pickId(firstOpen) : FIND_ID;

  const submit = form.submitWith({
    check: () => (chosen ? [] : [{ id: firstPick, label: t('groups.find'), message: t('groups.choose_someone') }]),
    send: async () => {
      const person = found?.find((p) => p.id === chosen);
      const name = person?.display_name ?? '';
      const already = members.has(chosen);
      const fresh = await api.post<GroupDetail>(`/groups/${enc(group.id)}/members`, { person_id: chosen });
      setQ('');
      setFound(null);
      setChosen('');
      onChanged(fresh, t(already ? 'groups.was_member' : 'groups.added', { name }));
      focusById(FIND_ID);
    },
    fields: { person_id: [firstPick, t('groups.find')] },
  });

  const pickError = firstPick === FIND_ID ? undefined : form.errorFor(firstPick);

  return (
    <section class="card" aria-labelledby="add-member-title">
      <h2 id="add-member-title">{t('groups.add_member')}</h2>
      <form class="form" onSubmit={submit} noValidate aria-labelledby="add-member-title">
        <ErrorSummary failure={form.failure} />
        <TextField
          id={FIND_ID}
          type="search"
          label={t('groups.find')}
          hint={t('groups.find_hint')}
          error={firstPick === FIND_ID ? form.errorFor(FIND_ID) : undefined}
          value={q}
          onValue={setQ}
          autocomplete="off"
          spellcheck={false}
          maxLength={100}
        />
        <p class="muted" role="status">
          {searching ? t('common.loading') : found ? tPlural('groups.found', found.length) : ''}
        </p>
        {found && found.length > 0 && (
          <fieldset
            class={`fieldset${pickError ? ' field--error' : ''}`}
            aria-describedby={pickError ? `${PICK_ID}-error` : undefined}
          >
            <legend>{t('groups.pick')}</legend>
            {pickError && (
              <p class="field__error" id={`${PICK_ID}-error`}>
                {pickError}
              </p>
            )}
            <ul class="checkboxes">
              {found.map((p) => {
                const member = members.has(p.id);
                return (
                  <li key={p.id} class="checkbox">
                    <input
                      type="radio"
                      name="member-person"
                      id={pickId(p)}
                      value={p.id}
                      checked={chosen === p.id}
                      disabled={member}
                      aria-invalid={pickError ? 'true' : undefined}
                      onChange={() => setChosen(p.id)}
                    />
                    <label for={pickId(p)}>
                      {p.display_name}
                      <span class="table__sub">
                        {[p.unit_name, p.email, member ? t('groups.already_member') : null].filter(Boolean).join(' · ')}
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        )}
        <div class="button-row">
          <button type="submit" class="button" disabled={form.busy}>
            {t('groups.add_submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

function EditGroup({ group, onChanged }: { group: GroupDetail; onChanged: OnChanged }) {
  const [name, setName] = useState(group.name);
  const [description, setDescription] = useState(group.description);
  const form = useForm();
  const NAME_ID = 'group-name';
  const DESCRIPTION_ID = 'group-description';

  const submit = form.submitWith({
    check: () => checkGroup(NAME_ID, DESCRIPTION_ID, name, description),
    send: async () => {
      const fresh = await api.patch<GroupDetail>(`/groups/${enc(group.id)}`, {
        name: name.trim(),
        description: description.trim(),
      });
      setName(fresh.name);
      setDescription(fresh.description);
      onChanged(fresh, t('groups.saved'));
    },
    fields: { name: [NAME_ID, t('groups.name')], description: [DESCRIPTION_ID, t('groups.description')] },
    refused: nameTaken(NAME_ID),
  });

  return (
    <section class="card" aria-labelledby="edit-group-title">
      <h2 id="edit-group-title">{t('groups.edit')}</h2>
      <form class="form" onSubmit={submit} noValidate aria-labelledby="edit-group-title">
        <ErrorSummary failure={form.failure} />
        <TextField
          id={NAME_ID}
          label={t('groups.name')}
          hint={t('groups.name_hint')}
          error={form.errorFor(NAME_ID)}
          value={name}
          onValue={setName}
          autocomplete="off"
          maxLength={NAME_MAX}
          required
        />
        <TextField
          id={DESCRIPTION_ID}
          label={t('groups.description')}
          hint={t('groups.description_hint')}
          error={form.errorFor(DESCRIPTION_ID)}
          value={description}
          onValue={setDescription}
          autocomplete="off"
          maxLength={DESCRIPTION_MAX}
        />
        <div class="button-row">
          <button type="submit" class="button" disabled={form.busy}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </section>
  );
}

function DeleteGroup({ group }: { group: GroupDetail }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<FormFailure | null>(null);

  const remove = async () => {
    setBusy(true);
    try {
      await api.delete(`/groups/${enc(group.id)}`);
      groupsFlash.set(t('groups.deleted', { name: group.name }));
      setAsking(false);
      navigate('/admin/groups');
    } catch (error) {
      setFailure(failureFrom(error));
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="delete-group-title">
      <h2 id="delete-group-title">{t('groups.delete')}</h2>
      <p>{t('groups.delete_explain')}</p>
      <div class="button-row">
        <button type="button" class="button button--danger" onClick={() => (setFailure(null), setAsking(true))}>
          {t('groups.delete')}
        </button>
      </div>
      {asking && (
        <Dialog
          id="delete-group-dialog"
          title={t('groups.delete_title')}
          describedBy="delete-group-text"
          onCancel={() => setAsking(false)}
        >
          <ErrorSummary failure={failure} />
          <p id="delete-group-text">{t('groups.delete_confirm', { name: group.name })}</p>
          <div class="button-row">
            <button type="button" class="button button--danger" disabled={busy} onClick={() => void remove()}>
              {t('groups.delete')}
            </button>
            <button type="button" class="button button--secondary" data-autofocus onClick={() => setAsking(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
