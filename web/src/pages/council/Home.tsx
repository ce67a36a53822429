// /council — the councils and committees, their sittings (upcoming first, then past) with their
// status, and, for those who may (the body's clerks and chairs, administrators), scheduling a
// sitting: the start is a wall time in the body's zone.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageTitle } from '../../components/Layout';
import { failureFrom, type FormFailure } from '../../lib/forms';
import { currentLocale, t, tPlural } from '../../lib/i18n';
import { hasPermission } from '../../lib/session';
import { Link, navigate } from '../../lib/router';
import {
  bodyHref, bodyKindLabel, council, memberRoleLabel, sittingHref, type CouncilBody, type Sitting,
} from '../../lib/council';
import { defaultZone } from '../../lib/workspace';
import { workspaceFlash } from '../workspace/common';
import { SittingItem } from './common';
import { BodyForm, SittingForm } from './forms';

/** The bodies, each with what the caller may do in it (the list itself does not say). */
export function useBodies() {
  const [bodies, setBodies] = useState<CouncilBody[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const load = async () => {
    try {
      const list = await council.bodies();
      setBodies(await Promise.all(list.map((b) => council.body(b.id))));
      setFailure(null);
    } catch (error) {
      setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, []);
  return { bodies, failure, load };
}

export const mayPrepare = (b: CouncilBody) => !!b.me && (b.me.administers || b.me.clerks || b.me.presides);

export function CouncilHomePage() {
  const { bodies, failure } = useBodies();
  const [sittings, setSittings] = useState<Sitting[] | null>(null);
  const [sittingsFailure, setSittingsFailure] = useState<FormFailure | null>(null);
  useEffect(() => {
    council
      .sittings()
      .then((list) => setSittings(list))
      .catch((error) => setSittingsFailure(failureFrom(error)));
  }, []);

  const upcoming = (sittings ?? [])
    .filter((s) => s.status === 'open' || s.status === 'scheduled')
    .sort((a, b) => (a.status === 'open') !== (b.status === 'open') ? (a.status === 'open' ? -1 : 1) : Date.parse(a.starts_at) - Date.parse(b.starts_at));
  const past = (sittings ?? [])
    .filter((s) => s.status === 'closed' || s.status === 'cancelled')
    .sort((a, b) => Date.parse(b.starts_at) - Date.parse(a.starts_at));
  const schedulable = (bodies ?? []).filter(mayPrepare);

  return (
    <>
      <PageTitle title={t('council.title')} />
      <p class="lead">{t('council.intro')}</p>
      <div class="stack">
        <section class="card" aria-labelledby="sittings-upcoming-title">
          <h2 id="sittings-upcoming-title">{t('council.upcoming')}</h2>
          <ErrorSummary failure={sittingsFailure} />
          <p class="muted" role="status">
            {sittings === null ? (sittingsFailure ? '' : t('common.loading')) : tPlural('council.sittings_count', upcoming.length)}
          </p>
          {upcoming.length > 0 && (
            <ul class="meeting-list" id="sittings-upcoming">
              {upcoming.map((s) => (
                <SittingItem key={s.id} sitting={s} />
              ))}
            </ul>
          )}
        </section>

        {schedulable.length > 0 && <ScheduleSitting bodies={schedulable} />}
        {bodies !== null && (hasPermission('people.manage') || bodies.some((b) => b.me?.administers)) && <AddBody parents={bodies} />}

        <section class="card" aria-labelledby="bodies-title">
          <h2 id="bodies-title">{t('council.bodies')}</h2>
          <ErrorSummary failure={failure} />
          {bodies === null ? (
            !failure && <p role="status">{t('common.loading')}</p>
          ) : (
            <ul class="plain-list" id="bodies">
              {bodies.map((b) => (
                <li key={b.id} data-body-id={b.id}>
                  <Link href={bodyHref(b.id)}>{b.name}</Link>
                  <span class="table__sub">
                    {bodyKindLabel(b.kind)} · {tPlural('council.seats_count', b.seats)}
                    {b.me?.roles.length ? ` · ${t('council.my_roles', { roles: b.me.roles.map(memberRoleLabel).join(', ') })}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section class="card" aria-labelledby="sittings-past-title">
          <h2 id="sittings-past-title">{t('council.past')}</h2>
          {sittings !== null && past.length === 0 && <p>{t('council.past_none')}</p>}
          {past.length > 0 && (
            <ul class="meeting-list" id="sittings-past">
              {past.map((s) => (
                <SittingItem key={s.id} sitting={s} />
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}

// ---------------------------------------------------------------- scheduling, adding a body

/** A card with a heading that names the form in it. */
function FormCard({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function ScheduleSitting({ bodies }: { bodies: CouncilBody[] }) {
  return (
    <FormCard id="schedule-sitting-heading" title={t('council.schedule')}>
      <SittingForm
        id="schedule-sitting"
        labelledBy="schedule-sitting-heading"
        bodies={bodies}
        submitLabel={t('council.schedule_submit')}
        onDone={(made) => {
          workspaceFlash.set({ text: t('council.scheduled', { title: made.title }) });
          navigate(sittingHref(made.id));
        }}
      />
    </FormCard>
  );
}

function AddBody({ parents }: { parents: CouncilBody[] }) {
  return (
    <FormCard id="add-body-heading" title={t('council.add_body')}>
      <BodyForm
        id="add-body"
        labelledBy="add-body-heading"
        parents={parents}
        defaultZone={defaultZone(currentLocale())}
        submitLabel={t('council.add_body_submit')}
        onDone={(made) => {
          workspaceFlash.set({ text: t('council.body_added', { name: made.name }) });
          navigate(bodyHref(made.id));
        }}
      />
    </FormCard>
  );
}
