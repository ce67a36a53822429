import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { api } from '../../lib/api';
import { errorFor, failureFrom, type FormFailure } from '../../lib/forms';
import { LANGUAGE_NAMES, t, tMaybe } from '../../lib/i18n';
import { refreshSession, sessionStore } from '../../lib/session';
import type { RoleName, Settings } from '../../lib/types';

/** In the order people think of them: staff first, the council next, guests last. */
const ROLES: RoleName[] = ['administrator', 'employee', 'clerk', 'chair', 'councillor', 'guest'];
const NAME_ID = 'settings-name';
const ROLES_ID = 'settings-roles';
const roleId = (role: RoleName) => `settings-role-${role}`;

/** Administration → Settings: the organisation's name and who must use two-step verification. */
export function SettingsPage() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<RoleName[]>([]);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const show = (value: Settings) => {
    setSettings(value);
    setName(value.organisation_name);
    setRoles(value.totp_required_roles);
  };

  const load = async () => {
    setFailure(null);
    try {
      show(await api.get<Settings>('/settings'));
    } catch (error) {
      setFailure(failureFrom(error));
    }
  };

  useEffect(() => {
    void load();
  }, []);

  const toggle = (role: RoleName, on: boolean) => {
    setSaved(false);
    setRoles((old) => (on ? [...old.filter((r) => r !== role), role] : old.filter((r) => r !== role)));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    try {
      const ordered = ROLES.filter((r) => roles.includes(r));
      show(await api.patch<Settings>('/settings', { organisation_name: name.trim(), totp_required_roles: ordered }));
      setFailure(null);
      setSaved(true);
      // The header shows the name; and the rule may now apply to the administrator too.
      await refreshSession().catch(() => undefined);
    } catch (error) {
      setFailure(
        failureFrom(error, {
          organisation_name: [NAME_ID, t('settings.name')],
          totp_required_roles: [roleId(ROLES[0]!), t('settings.totp_roles')],
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  const me = sessionStore.get()?.person;
  // Saving would send the administrator to the set-up first: say so beforehand.
  const affectsMe = !!me && !me.totp_enabled && me.roles.some((grant) => roles.includes(grant.role));
  const rolesError = errorFor(failure, roleId(ROLES[0]!));

  return (
    <div class="narrow narrow--left">
      <PageTitle title={t('settings.title')} />
      <p class="lead">{t('settings.intro')}</p>
      <ErrorSummary failure={failure} />
      {/* Always in the page, so that screen readers announce the message put into it. */}
      <div role="status" class="status-slot">
        {saved && <div class="notice">{t('settings.saved')}</div>}
      </div>
      {!settings && !failure && <p role="status">{t('common.loading')}</p>}
      {!settings && failure && (
        <button type="button" class="button" onClick={() => void load()}>
          {t('common.retry')}
        </button>
      )}
      {settings && (
        <form class="form card" onSubmit={submit} noValidate aria-labelledby="settings-form-title">
          <h2 id="settings-form-title">{t('settings.organisation')}</h2>
          <TextField
            id={NAME_ID}
            label={t('settings.name')}
            hint={t('settings.name_hint')}
            error={errorFor(failure, NAME_ID)}
            value={name}
            onValue={(value) => {
              setName(value);
              setSaved(false);
            }}
            autocomplete="organization"
            required
          />
          <dl class="facts">
            <div>
              <dt>{t('settings.code_prefix')}</dt>
              <dd>
                <code>{settings.code_prefix}</code>
              </dd>
            </div>
            <div>
              <dt>{t('settings.locale')}</dt>
              <dd>{LANGUAGE_NAMES[settings.locale] ?? settings.locale}</dd>
            </div>
          </dl>

          <fieldset
            class={`fieldset${rolesError ? ' field--error' : ''}`}
            id={ROLES_ID}
            aria-describedby={[`${ROLES_ID}-hint`, rolesError ? `${ROLES_ID}-error` : ''].filter(Boolean).join(' ')}
          >
            <legend>{t('settings.totp_roles')}</legend>
            <p class="field__hint" id={`${ROLES_ID}-hint`}>
              {t('settings.totp_roles_hint')}
            </p>
            {rolesError && (
              <p class="field__error" id={`${ROLES_ID}-error`}>
                {rolesError}
              </p>
            )}
            <ul class="checkboxes">
              {ROLES.map((role) => (
                <li key={role} class="checkbox">
                  <input
                    type="checkbox"
                    id={roleId(role)}
                    name="totp_required_roles"
                    value={role}
                    checked={roles.includes(role)}
                    aria-invalid={rolesError ? 'true' : undefined}
                    onChange={(e) => toggle(role, (e.currentTarget as HTMLInputElement).checked)}
                  />
                  <label for={roleId(role)}>{tMaybe(`role.${role}`) ?? role}</label>
                </li>
              ))}
            </ul>
          </fieldset>
          {affectsMe && <p class="issued__warning">{t('settings.affects_you')}</p>}
          <button type="submit" class="button" disabled={busy}>
            {t('common.save')}
          </button>
        </form>
      )}
    </div>
  );
}
