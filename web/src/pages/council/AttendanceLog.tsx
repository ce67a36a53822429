// Every arrival and departure with its time and how it was recorded (for the chair, the
// clerks and administrators); read again whenever the sitting changes.
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { failureFrom, type FormFailure } from '../../lib/forms';
import { formatDateTime, t, tPlural } from '../../lib/i18n';
import { council, type AttendanceEntry } from '../../lib/council';

export function AttendanceLog({ sittingId, version }: { sittingId: string; version: number }) {
  const [items, setItems] = useState<AttendanceEntry[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  useEffect(() => {
    council
      .attendanceLog(sittingId)
      .then((list) => {
        setItems(list);
        setFailure(null);
      })
      .catch((error) => setFailure(failureFrom(error)));
  }, [sittingId, version]);

  return (
    <section class="card" aria-labelledby="attendance-log-title" id="attendance-log">
      <h2 id="attendance-log-title">{t('council.attendance_log')}</h2>
      <ErrorSummary failure={failure} />
      {items === null ? (
        !failure && <p>{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('council.attendance_log_empty')}</p>
      ) : (
        <>
          <p class="muted">{tPlural('council.log_count', items.length)}</p>
          <div class="table-wrap" role="region" aria-labelledby="attendance-log-title" tabIndex={0}>
            <table class="table table--stack">
              <caption class="visually-hidden">{t('council.attendance_log')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('council.log_time')}</th>
                  <th scope="col">{t('people.name')}</th>
                  <th scope="col">{t('council.log_event')}</th>
                  <th scope="col">{t('council.log_how')}</th>
                </tr>
              </thead>
              <tbody>
                {[...items].reverse().map((e) => (
                  <tr key={e.id}>
                    <td>
                      <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                    </td>
                    <th scope="row">{e.display_name}</th>
                    <td>
                      {t(`council.log.${e.event}`)}
                      {e.remote ? ` (${t('council.remote_short')})` : ''}
                    </td>
                    <td>{t(`council.log_how.${e.how}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
