import { useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { PagedTable, usePagedList } from '../../components/PagedTable';
import { OneTimeSecretBox } from '../../components/SecretBox';
import { api, serverNow } from '../../lib/api';
import { failureFrom, requiredError, type FieldError } from '../../lib/forms';
import { formatDateTime, t, tMaybe, tPlural } from '../../lib/i18n';
import { sessionStore } from '../../lib/session';
import type { ApiToken } from '../../lib/types';
import { useForm } from '../../lib/useForm';

/** Every scope a token may carry (a creator may give only those they have). */
const SCOPES = [
  'people.read',
  'people.manage',
  'audit.read',
  'tokens.manage',
  'settings.manage',
  'jobs.manage',
  'documents.read',
  'documents.write',
  'council.vote',
  'council.manage',
] as const;
const scopeId = (scope: string) => `token-scope-${scope.replaceAll('.', '-')}`;
const scopeLabel = (scope: string) => tMaybe(`scope.${scope}`) ?? scope;
const NAME_ID = 'token-name';
const SCOPES_ID = 'token-scopes';
const EXPIRY_ID = 'token-expiry';

type TokenStatus = 'active' | 'revoked' | 'expired';

function statusOf(token: ApiToken): TokenStatus {
  if (token.revoked_at) return 'revoked';
  if (token.expires_at && Date.parse(token.expires_at) <= serverNow()) return 'expired';
  return 'active';
}

const BADGE: Record<TokenStatus, string> = { active: 'active', revoked: 'disabled', expired: 'pending' };

/** Administration → API tokens: issue tokens with chosen scopes, see them, revoke them. */
export function TokensPage() {
  const [issued, setIssued] = useState<{ name: string; secret: string } | null>(null);
  const [reloadKey, setReloadKey] = useState(0);

  return (
    <>
      <PageTitle title={t('tokens.title')} />
      <p class="lead">{t('tokens.intro')}</p>
      {issued && (
        <OneTimeSecretBox
          id="token-secret"
          title={t('tokens.secret_title', { name: issued.name })}
          label={t('tokens.secret_label')}
          secret={issued.secret}
          warning={t('tokens.secret_once')}
          note={t('tokens.secret_use')}
          copyLabel={t('tokens.copy')}
          onDismiss={() => {
            setIssued(null);
            requestAnimationFrame(() => document.getElementById('tokens-list-title')?.focus());
          }}
        />
      )}
      <div class="stack">
        <TokenList reloadKey={reloadKey} />
        <AddToken
          onIssued={(name, secret) => {
            setIssued({ name, secret });
            setReloadKey((k) => k + 1);
          }}
        />
      </div>
    </>
  );
}

function TokenList({ reloadKey }: { reloadKey: number }) {
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const list = usePagedList<ApiToken>((cursor) => (cursor ? `/tokens?cursor=${encodeURIComponent(cursor)}` : '/tokens'), [reloadKey]);

  const revoke = async () => {
    if (!revoking) return;
    const token = revoking;
    setBusy(true);
    try {
      await api.delete(`/tokens/${encodeURIComponent(token.id)}`);
      const now = new Date(serverNow()).toISOString();
      list.setItems((old) => old.map((x) => (x.id === token.id ? { ...x, revoked_at: x.revoked_at ?? now } : x)));
      setNotice(t('tokens.revoked_notice', { name: token.name }));
      list.setFailure(null);
    } catch (error) {
      list.setFailure(failureFrom(error));
    } finally {
      setBusy(false);
      setRevoking(null);
      // The row's button is gone: continue from the list's heading.
      requestAnimationFrame(() => document.getElementById('tokens-list-title')?.focus());
    }
  };

  return (
    <section class="card" aria-labelledby="tokens-list-title">
      <h2 id="tokens-list-title" tabIndex={-1}>
        {t('tokens.list')}
      </h2>
      <div role="status" class="status-slot">
        {notice && <div class="notice">{notice}</div>}
      </div>
      <PagedTable
        list={list}
        labelledBy="tokens-list-title"
        tableId="tokens-table"
        caption={t('tokens.list')}
        columns={[
          t('tokens.name'),
          t('tokens.scopes'),
          t('tokens.created'),
          t('tokens.expires'),
          t('tokens.last_used'),
          t('tokens.status'),
          t('common.actions'),
        ]}
        count={(n) => tPlural('tokens.count', n)}
        empty={t('tokens.none')}
        row={(token) => {
          const status = statusOf(token);
          return (
            <tr key={token.id} data-token-id={token.id}>
              <th scope="row">{token.name}</th>
              <td>
                <ul class="plain-list">
                  {token.scopes.map((s) => (
                    <li key={s}>
                      {scopeLabel(s)} <code class="table__sub">{s}</code>
                    </li>
                  ))}
                </ul>
              </td>
              <td>{formatDateTime(token.created_at)}</td>
              <td>{token.expires_at ? formatDateTime(token.expires_at) : t('tokens.no_expiry')}</td>
              <td>{token.last_used_at ? formatDateTime(token.last_used_at) : t('tokens.never')}</td>
              <td>
                <span class={`badge badge--${BADGE[status]}`}>{t(`tokens.status.${status}`)}</span>
              </td>
              <td>
                {status === 'active' && (
                  <button
                    type="button"
                    class="button button--small button--secondary"
                    disabled={busy}
                    onClick={() => {
                      setNotice('');
                      setRevoking(token);
                    }}
                  >
                    {t('tokens.revoke')}
                    <span class="visually-hidden"> — {token.name}</span>
                  </button>
                )}
              </td>
            </tr>
          );
        }}
      />
      {revoking && (
        <Dialog id="revoke-dialog" title={t('tokens.revoke_title')} describedBy="revoke-dialog-text" onCancel={() => setRevoking(null)}>
          <p id="revoke-dialog-text">{t('tokens.revoke_confirm', { name: revoking.name })}</p>
          <div class="button-row">
            <button type="button" class="button button--danger" disabled={busy} onClick={() => void revoke()}>
              {t('tokens.revoke')}
            </button>
            <button type="button" class="button button--secondary" data-autofocus onClick={() => setRevoking(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

function AddToken({ onIssued }: { onIssued: (name: string, secret: string) => void }) {
  const permissions = sessionStore.get()?.person.permissions ?? [];
  const offered = SCOPES.filter((s) => permissions.includes(s));
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [expiry, setExpiry] = useState('');
  const form = useForm();
  const firstScope = offered[0] ? scopeId(offered[0]) : SCOPES_ID;

  const toggle = (scope: string, on: boolean) =>
    setScopes((old) => (on ? [...old.filter((s) => s !== scope), scope] : old.filter((s) => s !== scope)));

  // The order sent: as listed, so that `scopes[i]` in a refusal finds its checkbox.
  const chosen = offered.filter((s) => scopes.includes(s));
  const fields: Record<string, [string, string]> = {
    name: [NAME_ID, t('tokens.name')],
    scopes: [firstScope, t('tokens.scopes')],
    expires_in_days: [EXPIRY_ID, t('tokens.expiry_days')],
  };
  chosen.forEach((_scope, i) => (fields[`scopes[${i}]`] = [firstScope, t('tokens.scopes')]));

  const submit = form.submitWith({
    check: () => {
      const problems: FieldError[] = [];
      if (!name.trim()) problems.push(requiredError(NAME_ID, t('tokens.name')));
      if (chosen.length === 0)
        problems.push({ id: firstScope, label: t('tokens.scopes'), message: t('validation.tokens.scopes_required') });
      const days = expiry.trim();
      if (days && !(/^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= 3650))
        problems.push({ id: EXPIRY_ID, label: t('tokens.expiry_days'), message: t('validation.expires_in_days.out_of_range') });
      return problems;
    },
    send: async () => {
      const body: Record<string, unknown> = { name: name.trim(), scopes: chosen };
      if (expiry.trim()) body.expires_in_days = Number(expiry.trim());
      const created = await api.post<{ token: ApiToken; secret: string }>('/tokens', body);
      setName('');
      setScopes([]);
      setExpiry('');
      onIssued(created.token.name, created.secret);
    },
    fields,
  });

  // Several scope errors may point at the same checkbox: show them together once.
  const scopeErrors = (form.failure?.fields ?? []).filter((f) => f.id === firstScope).map((f) => f.message);
  const scopesError = scopeErrors.length ? [...new Set(scopeErrors)].join(' ') : undefined;

  return (
    <section class="card" aria-labelledby="add-token-title">
      <h2 id="add-token-title">{t('tokens.add')}</h2>
      <form class="form" id="add-token-form" onSubmit={submit} noValidate aria-labelledby="add-token-title">
        <ErrorSummary failure={form.failure} />
        <TextField
          id={NAME_ID}
          label={t('tokens.name')}
          hint={t('tokens.name_hint')}
          error={form.errorFor(NAME_ID)}
          value={name}
          onValue={setName}
          autocomplete="off"
          maxLength={100}
          required
        />
        <fieldset
          class={`fieldset${scopesError ? ' field--error' : ''}`}
          id={SCOPES_ID}
          aria-describedby={[`${SCOPES_ID}-hint`, scopesError ? `${SCOPES_ID}-error` : ''].filter(Boolean).join(' ')}
        >
          <legend>{t('tokens.scopes')}</legend>
          <p class="field__hint" id={`${SCOPES_ID}-hint`}>
            {t('tokens.scopes_hint')}
          </p>
          {scopesError && (
            <p class="field__error" id={`${SCOPES_ID}-error`}>
              {scopesError}
            </p>
          )}
          <ul class="checkboxes">
            {offered.map((scope) => (
              <li key={scope} class="checkbox">
                <input
                  type="checkbox"
                  id={scopeId(scope)}
                  name="scopes"
                  value={scope}
                  checked={scopes.includes(scope)}
                  aria-invalid={scopesError ? 'true' : undefined}
                  onChange={(e) => toggle(scope, (e.currentTarget as HTMLInputElement).checked)}
                />
                <label for={scopeId(scope)}>
                  {scopeLabel(scope)} <code>{scope}</code>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <TextField
          id={EXPIRY_ID}
          label={t('tokens.expiry_days')}
          hint={t('tokens.expiry_hint')}
          error={form.errorFor(EXPIRY_ID)}
          value={expiry}
          onValue={setExpiry}
          inputMode="numeric"
          autocomplete="off"
          class="input--short"
        />
        <div class="button-row">
          <button type="submit" class="button" disabled={form.busy}>
            {t('tokens.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
