// "Call a colleague now" on the dashboard: find a colleague by name and ring them; the call
// itself (ringing, answered, declined) is shown by the app shell's call bar.
import { useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { liveCallsStore, startCall } from '../../lib/calls';
import { failureFrom, type FormFailure } from '../../lib/forms';
import { t, tPlural } from '../../lib/i18n';
import { useStore } from '../../lib/store';
import { useDirectorySearch } from '../workspace/common';

export function CallColleague({ me }: { me: string }) {
  const [q, setQ] = useState('');
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const search = useDirectorySearch(q, ['person']);
  const calling = useStore(liveCallsStore).some((c) => c.caller.id === me && c.state === 'ringing');
  const people = (search.found ?? []).filter((p) => p.id !== me);

  const call = async (id: string) => {
    setBusy(true);
    setFailure(null);
    try {
      await startCall(id, me);
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="call-title" id="call-colleague">
      <h2 id="call-title">{t('calls.title')}</h2>
      <p class="muted">{t('calls.intro')}</p>
      <ErrorSummary failure={failure ?? search.failure} />
      <TextField id="call-find" type="search" label={t('calls.find')} hint={t('calls.find_hint')} value={q} onValue={setQ} autocomplete="off" />
      <p class="visually-hidden" role="status">
        {search.searching ? t('common.loading') : search.found ? tPlural('calls.found', people.length) : ''}
      </p>
      {people.length > 0 && (
        <ul class="people-actions" aria-labelledby="call-title">
          {people.map((p) => (
            <li key={p.id} class="people-actions__item">
              <span>
                <span class="people-actions__name">{p.name}</span>
                {p.detail && <span class="table__sub">{p.detail}</span>}
              </span>
              <button type="button" class="button button--small" disabled={busy || calling} onClick={() => void call(p.id)}>
                {t('calls.call')}
                <span class="visually-hidden"> {p.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {search.found && people.length === 0 && <p>{t('calls.nobody')}</p>}
    </section>
  );
}
