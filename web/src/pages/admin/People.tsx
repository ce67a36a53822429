import { useEffect, useRef, useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField, TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { PagedTable, usePagedList } from '../../components/PagedTable';
import { CopyButton, IssuedCodeBox } from '../../components/SecretBox';
import { api, Problem, query, type FieldProblem } from '../../lib/api';
import { failureFrom, fieldMessage, requiredError } from '../../lib/forms';
import { formatNumber, LANGUAGE_NAMES, LOCALES, currentLocale, t, tMaybe, tPlural } from '../../lib/i18n';
import type { IssuedCode, Person, PersonKind, RoleName, Unit } from '../../lib/types';
import { useForm } from '../../lib/useForm';

const KINDS: PersonKind[] = ['employee', 'councillor', 'guest'];
const ROLES: RoleName[] = ['employee', 'councillor', 'clerk', 'chair', 'administrator', 'guest'];
const STATUSES = ['pending', 'active', 'disabled'] as const;

const label = (prefix: string, value: string) => tMaybe(`${prefix}.${value}`) ?? value;

export function PeoplePage() {
  const [units, setUnits] = useState<Unit[]>([]);
  const [issued, setIssued] = useState<IssuedCode | null>(null);
  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    api
      .get<{ items: Unit[] }>('/units')
      .then((page) => setUnits(page.items))
      .catch(() => setUnits([]));
  }, []);

  const onIssued = (code: IssuedCode) => {
    setIssued(code);
    setReloadKey((k) => k + 1);
  };

  return (
    <>
      <PageTitle title={t('people.title')} />
      {issued && (
        <IssuedCodeBox
          id="issued-code"
          name={issued.person.display_name}
          accessCode={issued.access_code}
          activationSecret={issued.activation_secret}
          onDismiss={() => setIssued(null)}
        />
      )}
      <div class="stack">
        <PeopleList reloadKey={reloadKey} onIssued={onIssued} />
        <AddPerson units={units} onIssued={onIssued} />
        <ImportPeople onImported={() => setReloadKey((k) => k + 1)} />
      </div>
    </>
  );
}

function PeopleList({ reloadKey, onIssued }: { reloadKey: number; onIssued: (code: IssuedCode) => void }) {
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [filters, setFilters] = useState({ q: '', status: '' });
  const [resetting, setResetting] = useState<Person | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const list = usePagedList<Person>(
    (cursor) => `/people${query({ q: filters.q, status: filters.status, limit: 50, cursor })}`,
    [filters, reloadKey],
  );
  const { setFailure } = list;

  const replace = (person: Person) => list.setItems((old) => old.map((p) => (p.id === person.id ? person : p)));

  const toggle = async (person: Person) => {
    setBusy(person.id);
    try {
      const action = person.status === 'disabled' ? 'enable' : 'disable';
      replace(await api.post<Person>(`/people/${encodeURIComponent(person.id)}/${action}`));
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setBusy(null);
    }
  };

  const reset = async () => {
    if (!resetting) return;
    const person = resetting;
    setBusy(person.id);
    try {
      const code = await api.post<IssuedCode>(`/people/${encodeURIComponent(person.id)}/reset-code`);
      setResetting(null);
      replace(code.person);
      onIssued(code);
    } catch (error) {
      setResetting(null);
      setFailure(failureFrom(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="card" aria-labelledby="people-list-title">
      <h2 id="people-list-title">{t('people.list')}</h2>
      <form
        class="filters"
        role="search"
        aria-label={t('people.search_label')}
        onSubmit={(e) => {
          e.preventDefault();
          setFilters({ q: q.trim(), status });
        }}
      >
        <TextField id="people-q" label={t('people.search')} hint={t('people.search_hint')} type="search" value={q} onValue={setQ} />
        <SelectField
          id="people-status"
          label={t('people.status')}
          value={status}
          onValue={setStatus}
          options={[{ value: '', label: t('people.status_all') }, ...STATUSES.map((s) => ({ value: s, label: label('status', s) }))]}
        />
        <button type="submit" class="button">
          {t('common.search')}
        </button>
      </form>
      <PagedTable
        list={list}
        labelledBy="people-list-title"
        tableId="people-table"
        caption={t('people.list')}
        columns={[
          t('people.name'),
          t('people.access_code'),
          t('people.kind'),
          t('people.unit'),
          t('people.status'),
          t('common.actions'),
        ]}
        count={(n) => tPlural('people.count', n)}
        empty={t('people.none')}
        row={(p) => (
          <tr key={p.id}>
            <th scope="row">
              {p.display_name}
              {p.email && <span class="table__sub">{p.email}</span>}
            </th>
            <td>
              <code>{p.access_code}</code>
            </td>
            <td>{label('kind', p.kind)}</td>
            <td>{p.unit_name ?? '—'}</td>
            <td>
              <span class={`badge badge--${p.status}`}>{label('status', p.status)}</span>
            </td>
            <td>
              <div class="table__buttons">
                <button
                  type="button"
                  class="button button--small button--secondary"
                  disabled={busy === p.id}
                  onClick={() => void toggle(p)}
                >
                  {p.status === 'disabled' ? t('people.enable') : t('people.disable')}
                  <span class="visually-hidden"> — {p.display_name}</span>
                </button>
                <button
                  type="button"
                  class="button button--small button--secondary"
                  disabled={busy === p.id}
                  onClick={() => setResetting(p)}
                >
                  {t('people.reset')}
                  <span class="visually-hidden"> — {p.display_name}</span>
                </button>
              </div>
            </td>
          </tr>
        )}
      />
      {resetting && (
        <Dialog id="reset-dialog" title={t('people.reset_title')} describedBy="reset-dialog-text" onCancel={() => setResetting(null)}>
          <p id="reset-dialog-text">{t('people.reset_confirm', { name: resetting.display_name })}</p>
          <div class="button-row">
            <button type="button" class="button button--danger" disabled={busy === resetting.id} onClick={() => void reset()}>
              {t('people.reset')}
            </button>
            <button type="button" class="button button--secondary" data-autofocus onClick={() => setResetting(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

const DEFAULT_ROLE: Record<PersonKind, RoleName> = {
  employee: 'employee',
  councillor: 'councillor',
  guest: 'guest',
};

function AddPerson({ units, onIssued }: { units: Unit[]; onIssued: (code: IssuedCode) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [kind, setKind] = useState<PersonKind>('employee');
  const [unit, setUnit] = useState('');
  const [role, setRole] = useState<RoleName>('employee');
  const [locale, setLocaleValue] = useState<string>(currentLocale());
  const form = useForm();
  const nameRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (open) nameRef.current?.querySelector('input')?.focus();
  }, [open]);

  const submit = form.submitWith({
    check: () => (name.trim() ? [] : [requiredError('new-name', t('people.name'))]),
    send: async () => {
      const body: Record<string, unknown> = {
        display_name: name.trim(),
        kind,
        roles: [{ role }],
        locale,
      };
      if (email.trim()) body.email = email.trim();
      if (unit) body.unit_id = unit;
      const issued = await api.post<IssuedCode>('/people', body);
      setName('');
      setEmail('');
      setOpen(false);
      onIssued(issued);
    },
    fields: {
      display_name: ['new-name', t('people.name')],
      email: ['new-email', t('people.email')],
      kind: ['new-kind', t('people.kind')],
      unit_id: ['new-unit', t('people.unit')],
      roles: ['new-role', t('people.role')],
      locale: ['new-locale', t('profile.language')],
    },
  });

  return (
    <section class="card" aria-labelledby="add-person-title">
      <h2 id="add-person-title">{t('people.add')}</h2>
      {!open && (
        <button type="button" class="button" aria-expanded="false" aria-controls="add-person-form" onClick={() => setOpen(true)}>
          {t('people.add')}
        </button>
      )}
      {open && (
        <form class="form" id="add-person-form" onSubmit={submit} noValidate>
          <ErrorSummary failure={form.failure} />
          <div ref={nameRef}>
            <TextField
              id="new-name"
              label={t('people.name')}
              error={form.errorFor('new-name')}
              value={name}
              onValue={setName}
              autocomplete="off"
              required
            />
          </div>
          <TextField
            id="new-email"
            label={t('people.email_optional')}
            error={form.errorFor('new-email')}
            type="email"
            value={email}
            onValue={setEmail}
            autocomplete="off"
          />
          <div class="form__row">
            <SelectField
              id="new-kind"
              label={t('people.kind')}
              error={form.errorFor('new-kind')}
              value={kind}
              onValue={(v) => {
                setKind(v as PersonKind);
                setRole(DEFAULT_ROLE[v as PersonKind]);
              }}
              options={KINDS.map((k) => ({ value: k, label: label('kind', k) }))}
            />
            <SelectField
              id="new-role"
              label={t('people.role')}
              error={form.errorFor('new-role')}
              value={role}
              onValue={(v) => setRole(v as RoleName)}
              options={ROLES.map((r) => ({ value: r, label: label('role', r) }))}
            />
          </div>
          <div class="form__row">
            <SelectField
              id="new-unit"
              label={t('people.unit')}
              error={form.errorFor('new-unit')}
              value={unit}
              onValue={setUnit}
              options={[{ value: '', label: t('people.unit_none') }, ...units.map((u) => ({ value: u.id, label: u.name }))]}
            />
            <SelectField
              id="new-locale"
              label={t('profile.language')}
              error={form.errorFor('new-locale')}
              value={locale}
              onValue={setLocaleValue}
              options={LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
            />
          </div>
          <div class="button-row">
            <button type="submit" class="button" disabled={form.busy}>
              {t('people.create')}
            </button>
            <button type="button" class="button button--secondary" onClick={() => (setOpen(false), form.setFailure(null))}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

interface ImportRowError extends FieldProblem {
  row?: number;
}

function ImportPeople({ onImported }: { onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [rowErrors, setRowErrors] = useState<ImportRowError[]>([]);
  const [created, setCreated] = useState<IssuedCode[] | null>(null);
  const form = useForm();
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (created) resultRef.current?.focus();
  }, [created]);

  const submit = form.submitWith({
    check: () => (file ? [] : [{ id: 'import-file', label: t('import.file'), message: t('import.choose') }]),
    send: async () => {
      const text = await file!.text();
      const result = await api.post<{ created: IssuedCode[] }>('/people/import', undefined, {
        raw: { body: text, contentType: 'text/csv; charset=utf-8' },
      });
      setCreated(result.created);
      onImported();
    },
    refused: (error, failure) => {
      if (error instanceof Problem && error.slug === 'validation' && error.errors.length) {
        failure.message = t('import.failed', { count: formatNumber(error.errors.length) });
        setRowErrors(error.errors);
      }
      return failure;
    },
  });

  const csv = created
    ? [
        'display_name,access_code,activation_secret',
        ...created.map((c) => `"${c.person.display_name.replace(/"/g, '""')}",${c.access_code},${c.activation_secret}`),
      ].join('\n')
    : '';

  return (
    <section class="card" aria-labelledby="import-title">
      <h2 id="import-title">{t('import.title')}</h2>
      <p>{t('import.text')}</p>
      <p>
        <code>display_name,email,kind,unit,role</code>
      </p>
      <form class="form" onSubmit={(event) => (setCreated(null), setRowErrors([]), submit(event))} noValidate>
        <ErrorSummary failure={form.failure} />
        <div class={`field${form.errorFor('import-file') ? ' field--error' : ''}`}>
          <label for="import-file">{t('import.file')}</label>
          {form.errorFor('import-file') && (
            <p class="field__error" id="import-file-error">
              {form.errorFor('import-file')}
            </p>
          )}
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            class="input input--file"
            aria-describedby={form.errorFor('import-file') ? 'import-file-error' : undefined}
            aria-invalid={form.errorFor('import-file') ? 'true' : undefined}
            onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
          />
        </div>
        <button type="submit" class="button" disabled={form.busy}>
          {t('import.submit')}
        </button>
      </form>
      {rowErrors.length > 0 && (
        <div class="table-wrap" role="region" aria-labelledby="import-errors-title" tabIndex={0}>
          <table class="table">
            <caption id="import-errors-title">{t('import.errors')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('import.row')}</th>
                <th scope="col">{t('import.field')}</th>
                <th scope="col">{t('import.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {rowErrors.map((e, i) => (
                <tr key={i}>
                  <th scope="row">{e.row ?? '—'}</th>
                  <td>{e.field ?? '—'}</td>
                  <td>{fieldMessage(e.field ?? '', e.code, e.message)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {created && (
        <div class="issued" tabIndex={-1} ref={resultRef} aria-labelledby="import-done-title">
          <h3 id="import-done-title">{tPlural('import.created', created.length)}</h3>
          <p class="issued__warning">{t('issued.once')}</p>
          <div class="table-wrap" role="region" aria-labelledby="import-done-title" tabIndex={0}>
            <table class="table">
              <caption class="visually-hidden">{tPlural('import.created', created.length)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('people.name')}</th>
                  <th scope="col">{t('people.access_code')}</th>
                  <th scope="col">{t('people.activation_secret')}</th>
                </tr>
              </thead>
              <tbody>
                {created.map((c) => (
                  <tr key={c.person.id}>
                    <th scope="row">{c.person.display_name}</th>
                    <td>
                      <code>{c.access_code}</code>
                    </td>
                    <td>
                      <code>{c.activation_secret}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="button-row">
            <CopyButton text={csv} label={t('import.copy_all')} />
            <button type="button" class="button button--secondary" onClick={() => setCreated(null)}>
              {t('issued.done')}
            </button>
          </p>
        </div>
      )}
    </section>
  );
}
