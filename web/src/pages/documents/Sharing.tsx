// Who else may see a file or folder (shares with people, units, bodies), links for people
// outside (with an expiry date and maybe a password), and the legal hold.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField, TextField } from '../../components/Field';
import { OneTimeSecretBox } from '../../components/SecretBox';
import { api, query } from '../../lib/api';
import { rightLabel } from '../../lib/documents';
import { failureFrom, requiredError, type FieldError, type FormFailure } from '../../lib/forms';
import { formatDateTime, formatNumber, t, tMaybe, tPlural } from '../../lib/i18n';
import type { DocAudience, DocLink, DocNode, DocRight, DocShare } from '../../lib/types';
import { useForm } from '../../lib/useForm';
import { StatusSlot } from './common';

const RIGHTS: DocRight[] = ['view', 'edit', 'manage'];
const enc = encodeURIComponent;
const audienceKind = (kind: string) => tMaybe(`docs.audience.${kind}`) ?? kind;

// ---------------------------------------------------------------- shares

export function SharesPanel({ nodeId }: { nodeId: string }) {
  const [shares, setShares] = useState<DocShare[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState<string | null>(null);

  const load = async () => {
    try {
      const page = await api.get<{ items: DocShare[] }>(`/documents/nodes/${enc(nodeId)}/shares`);
      setShares(page.items);
      setFailure(null);
    } catch (error) {
      setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, [nodeId]);

  const remove = async (share: DocShare) => {
    setBusy(share.id);
    try {
      await api.delete(`/documents/shares/${enc(share.id)}`);
      setShares((old) => (old ?? []).filter((s) => s.id !== share.id));
      setNotice(t('docs.shares.removed', { name: share.audience.name }));
      setFailure(null);
      requestAnimationFrame(() => document.getElementById('shares-list-title')?.focus());
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div class="panel">
      <StatusSlot>{notice}</StatusSlot>
      <ErrorSummary failure={failure} />
      <h3 id="shares-list-title" tabIndex={-1}>
        {t('docs.shares.list')}
      </h3>
      {shares === null && !failure && <p>{t('common.loading')}</p>}
      {shares && shares.length === 0 && <p>{t('docs.shares.none')}</p>}
      {shares && shares.length > 0 && (
        <div class="table-wrap" role="region" aria-labelledby="shares-list-title" tabIndex={0}>
          <table class="table" id="shares-table">
            <caption class="visually-hidden">{t('docs.shares.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('docs.shares.who')}</th>
                <th scope="col">{t('docs.shares.right')}</th>
                <th scope="col">{t('docs.shares.since')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {shares.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    {s.audience.name}
                    <span class="table__sub">{audienceKind(s.audience.kind)}</span>
                  </th>
                  <td>{rightLabel(s.right)}</td>
                  <td>{formatDateTime(s.created_at)}</td>
                  <td>
                    {s.inherent ? (
                      <span class="muted">{t('docs.shares.inherent')}</span>
                    ) : (
                      <button
                        type="button"
                        class="button button--small button--secondary"
                        disabled={busy === s.id}
                        onClick={() => void remove(s)}
                      >
                        {t('docs.shares.remove')}
                        <span class="visually-hidden"> — {s.audience.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddShare
        nodeId={nodeId}
        onAdded={(share) => {
          setShares((old) => [...(old ?? []).filter((s) => s.id !== share.id), share]);
          setNotice(t('docs.shares.added', { name: share.audience.name, right: rightLabel(share.right) }));
        }}
      />
    </div>
  );
}

const FIND_ID = 'share-find';
const PICK_ID = 'share-pick';
const RIGHT_ID = 'share-right';

function AddShare({ nodeId, onAdded }: { nodeId: string; onAdded: (share: DocShare) => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<DocAudience[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [chosen, setChosen] = useState<string>('');
  const [right, setRight] = useState<DocRight>('view');
  const form = useForm();
  const seq = useRef(0);

  // Look people, units and bodies up as the name is typed (a little after the last key).
  useEffect(() => {
    const term = q.trim();
    if (term.length < 2) {
      setFound(null);
      return;
    }
    const mine = ++seq.current;
    const timer = window.setTimeout(async () => {
      setSearching(true);
      try {
        const page = await api.get<{ items: DocAudience[] }>(`/documents/audiences${query({ q: term })}`);
        if (mine !== seq.current) return;
        setFound(page.items);
        if (!page.items.some((a) => `${a.kind}:${a.id}` === chosen)) setChosen('');
      } catch (error) {
        if (mine === seq.current) form.setFailure(failureFrom(error));
      } finally {
        if (mine === seq.current) setSearching(false);
      }
    }, 300);
    return () => window.clearTimeout(timer);
  }, [q]);

  const pickId = (a: DocAudience) => `${PICK_ID}-${a.kind}-${a.id}`;
  const firstPick = found && found[0] ? pickId(found[0]) : FIND_ID;

  const submit = form.submitWith({
    check: () => {
      const problems: FieldError[] = [];
      if (!chosen) problems.push({ id: firstPick, label: t('docs.shares.find'), message: t('docs.shares.choose_someone') });
      return problems;
    },
    send: async () => {
      const [kind, ...rest] = chosen.split(':');
      const share = await api.post<DocShare>(`/documents/nodes/${enc(nodeId)}/shares`, {
        audience: { kind, id: rest.join(':') },
        right,
      });
      setQ('');
      setFound(null);
      setChosen('');
      onAdded(share);
    },
    fields: {
      audience: [firstPick, t('docs.shares.find')],
      'audience.id': [firstPick, t('docs.shares.find')],
      'audience.kind': [firstPick, t('docs.shares.find')],
      right: [RIGHT_ID, t('docs.shares.right')],
    },
  });

  const pickError = form.errorFor(firstPick);

  return (
    <form class="form add-share" onSubmit={submit} noValidate aria-labelledby="add-share-title">
      <h3 id="add-share-title">{t('docs.shares.add')}</h3>
      <ErrorSummary failure={form.failure} />
      <TextField
        id={FIND_ID}
        type="search"
        label={t('docs.shares.find')}
        hint={t('docs.shares.find_hint')}
        error={firstPick === FIND_ID ? pickError : undefined}
        value={q}
        onValue={setQ}
        autocomplete="off"
        spellcheck={false}
      />
      <p class="muted" role="status">
        {searching ? t('common.loading') : found ? tPlural('docs.shares.found', found.length) : ''}
      </p>
      {found && found.length > 0 && (
        <fieldset
          class={`fieldset${pickError ? ' field--error' : ''}`}
          aria-describedby={pickError ? `${PICK_ID}-error` : undefined}
        >
          <legend>{t('docs.shares.pick')}</legend>
          {pickError && (
            <p class="field__error" id={`${PICK_ID}-error`}>
              {pickError}
            </p>
          )}
          <ul class="checkboxes">
            {found.slice(0, 20).map((a) => (
              <li key={`${a.kind}:${a.id}`} class="checkbox">
                <input
                  type="radio"
                  name="share-audience"
                  id={pickId(a)}
                  value={`${a.kind}:${a.id}`}
                  checked={chosen === `${a.kind}:${a.id}`}
                  onChange={() => setChosen(`${a.kind}:${a.id}`)}
                />
                <label for={pickId(a)}>
                  {a.name}
                  <span class="table__sub">
                    {audienceKind(a.kind)}
                    {a.detail ? ` · ${a.detail}` : ''}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      <SelectField
        id={RIGHT_ID}
        label={t('docs.shares.right')}
        error={form.errorFor(RIGHT_ID)}
        value={right}
        onValue={(v) => setRight(v as DocRight)}
        options={RIGHTS.map((r) => ({ value: r, label: t(`docs.right_long.${r}`) }))}
      />
      <div class="button-row">
        <button type="submit" class="button" disabled={form.busy}>
          {t('docs.shares.submit')}
        </button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------- links

/** A calendar day as yyyy-mm-dd, `days` from today (local time). */
function dayFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The end of a local calendar day as an RFC 3339 UTC time (the link works through that day). */
function endOfDay(day: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const EXPIRY_ID = 'link-expiry';
const PASSWORD_ID = 'link-password';
const LINK_PASSWORD_MIN = 8;

export function LinksPanel({ node }: { node: DocNode }) {
  const [links, setLinks] = useState<DocLink[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [revoking, setRevoking] = useState<DocLink | null>(null);
  const [busy, setBusy] = useState(false);
  const [expiry, setExpiry] = useState(() => dayFromToday(14));
  const [password, setPassword] = useState('');
  const form = useForm();

  const load = async () => {
    try {
      const page = await api.get<{ items: DocLink[] }>(`/documents/nodes/${enc(node.id)}/links`);
      setLinks(page.items);
      setFailure(null);
    } catch (error) {
      setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, [node.id]);

  const submit = form.submitWith({
    check: () => {
      if (!expiry) return [requiredError(EXPIRY_ID, t('docs.links.expiry'))];
      const at = endOfDay(expiry);
      if (!at) return [{ id: EXPIRY_ID, label: t('docs.links.expiry'), message: t('validation.date') }];
      const problems: FieldError[] = [];
      if (Date.parse(at) <= Date.now())
        problems.push({ id: EXPIRY_ID, label: t('docs.links.expiry'), message: t('docs.links.expiry_past') });
      else if (expiry > dayFromToday(365))
        problems.push({ id: EXPIRY_ID, label: t('docs.links.expiry'), message: t('validation.expires_at.too_far') });
      if (password && password.length < LINK_PASSWORD_MIN)
        problems.push({ id: PASSWORD_ID, label: t('docs.links.password'), message: t('docs.links.password_short') });
      return problems;
    },
    send: async () => {
      const body: Record<string, unknown> = { expires_at: endOfDay(expiry) };
      if (password) body.password = password;
      const link = await api.post<DocLink>(`/documents/nodes/${enc(node.id)}/links`, body);
      setPassword('');
      setNotice('');
      setCreated(link.url ? new URL(link.url, location.origin).toString() : null);
      setLinks((old) => [{ ...link, url: undefined }, ...(old ?? []).filter((l) => l.id !== link.id)]);
    },
    fields: { expires_at: [EXPIRY_ID, t('docs.links.expiry')], password: [PASSWORD_ID, t('docs.links.password')] },
    // A link's password has its own rule (not the 12 characters of an account's password).
    refused: (_error, f) => ({
      ...f,
      fields: f.fields.map((x) => (x.id === PASSWORD_ID ? { ...x, message: t('docs.links.password_short') } : x)),
    }),
  });

  const revoke = async () => {
    if (!revoking) return;
    const link = revoking;
    setBusy(true);
    try {
      await api.delete(`/documents/links/${enc(link.id)}`);
      setLinks((old) => (old ?? []).filter((l) => l.id !== link.id));
      setNotice(t('docs.links.revoked'));
      setFailure(null);
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setBusy(false);
      setRevoking(null);
      requestAnimationFrame(() => document.getElementById('links-list-title')?.focus());
    }
  };

  return (
    <div class="panel">
      {created && (
        <OneTimeSecretBox
          id="link-created"
          title={t('docs.links.created_title')}
          label={t('docs.links.url')}
          secret={created}
          warning={t('docs.links.created_once')}
          note={t('docs.links.created_note')}
          copyLabel={t('docs.links.copy')}
          onDismiss={() => {
            setCreated(null);
            requestAnimationFrame(() => document.getElementById('links-list-title')?.focus());
          }}
        />
      )}
      <StatusSlot>{notice}</StatusSlot>
      <ErrorSummary failure={failure} />
      <h3 id="links-list-title" tabIndex={-1}>
        {t('docs.links.list')}
      </h3>
      {links === null && !failure && <p>{t('common.loading')}</p>}
      {links && links.length === 0 && <p>{t('docs.links.none')}</p>}
      {links && links.length > 0 && (
        <div class="table-wrap" role="region" aria-labelledby="links-list-title" tabIndex={0}>
          <table class="table" id="links-table">
            <caption class="visually-hidden">{t('docs.links.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('docs.links.created')}</th>
                <th scope="col">{t('docs.links.expires')}</th>
                <th scope="col">{t('docs.links.protected')}</th>
                <th scope="col">{t('docs.links.downloads')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {links.map((l) => (
                <tr key={l.id}>
                  <th scope="row">{formatDateTime(l.created_at)}</th>
                  <td>{l.expires_at ? formatDateTime(l.expires_at) : t('tokens.no_expiry')}</td>
                  <td>{l.has_password ? t('docs.links.with_password') : t('docs.links.without_password')}</td>
                  <td>{formatNumber(l.downloads ?? 0)}</td>
                  <td>
                    <button
                      type="button"
                      class="button button--small button--secondary"
                      disabled={busy}
                      onClick={() => (setNotice(''), setRevoking(l))}
                    >
                      {t('docs.links.revoke')}
                      <span class="visually-hidden"> — {formatDateTime(l.created_at)}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form class="form" onSubmit={submit} noValidate aria-labelledby="add-link-title">
        <h3 id="add-link-title">{t('docs.links.add')}</h3>
        <ErrorSummary failure={form.failure} />
        <TextField
          id={EXPIRY_ID}
          type="date"
          label={t('docs.links.expiry')}
          hint={t('docs.links.expiry_hint')}
          error={form.errorFor(EXPIRY_ID)}
          value={expiry}
          onValue={setExpiry}
          min={dayFromToday(0)}
          max={dayFromToday(365)}
          class="input--short"
          required
        />
        <TextField
          id={PASSWORD_ID}
          type="password"
          label={t('docs.links.password')}
          hint={t('docs.links.password_hint')}
          error={form.errorFor(PASSWORD_ID)}
          value={password}
          onValue={setPassword}
          autocomplete="new-password"
        />
        <div class="button-row">
          <button type="submit" class="button" disabled={form.busy}>
            {t('docs.links.submit')}
          </button>
        </div>
      </form>
      {revoking && (
        <Dialog id="revoke-link-dialog" title={t('docs.links.revoke_title')} describedBy="revoke-link-text" onCancel={() => setRevoking(null)}>
          <p id="revoke-link-text">{t('docs.links.revoke_confirm', { name: node.name })}</p>
          <div class="button-row">
            <button type="button" class="button button--danger" disabled={busy} onClick={() => void revoke()}>
              {t('docs.links.revoke')}
            </button>
            <button type="button" class="button button--secondary" data-autofocus onClick={() => setRevoking(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- legal hold

const REASON_ID = 'hold-reason';

export function HoldPanel({ node, onChanged }: { node: DocNode; onChanged: (node: DocNode) => void }) {
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState('');
  const form = useForm();
  const held = node.legal_hold;

  const submit = form.submitWith({
    check: () => (!held && !reason.trim() ? [requiredError(REASON_ID, t('docs.hold.reason'))] : []),
    send: async () => {
      const changed = await api.put<DocNode>(`/documents/nodes/${enc(node.id)}/hold`, { held: !held, reason: reason.trim() });
      setReason('');
      setNotice(changed.legal_hold ? t('docs.hold.placed') : t('docs.hold.lifted'));
      onChanged(changed);
    },
    fields: { reason: [REASON_ID, t('docs.hold.reason')], held: [REASON_ID, t('docs.hold.reason')] },
  });

  return (
    <div class="panel">
      <StatusSlot>{notice}</StatusSlot>
      <p>
        <span class={`badge ${held ? 'badge--pending' : 'badge--muted'}`}>{held ? t('docs.hold.on') : t('docs.hold.off')}</span>
        {held && node.hold_reason && <span class="hold-reason">{t('docs.hold.reason_is', { reason: node.hold_reason })}</span>}
      </p>
      <p class="muted">{t('docs.hold.explain')}</p>
      <form class="form" onSubmit={submit} noValidate aria-label={t('docs.hold.title')}>
        <ErrorSummary failure={form.failure} />
        <TextField
          id={REASON_ID}
          label={held ? t('docs.hold.reason_lift') : t('docs.hold.reason')}
          error={form.errorFor(REASON_ID)}
          value={reason}
          onValue={setReason}
          autocomplete="off"
          maxLength={500}
          required={!held}
        />
        <div class="button-row">
          <button type="submit" class="button button--secondary" disabled={form.busy}>
            {held ? t('docs.hold.lift') : t('docs.hold.place')}
          </button>
        </div>
      </form>
    </div>
  );
}
