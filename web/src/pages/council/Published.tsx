// What the council's published pages (/public/council/…, no login) share: reading one thing
// from the public API (not found → "no such …"), the way back to the list of sittings, and the
// links to download the data behind a page.
import { useEffect, useState } from 'preact/hooks';
import { Problem } from '../../lib/api';
import { failureFrom, type FormFailure } from '../../lib/forms';
import { t } from '../../lib/i18n';
import { Link } from '../../lib/router';
import { publicCouncilHref, publicData } from '../../lib/council';
import { focusHeadingIfLost } from '../workspace/common';

/** Reads `read()` once per `key`; `missing` when there is no such thing (404, or an id that
 * cannot be one: 422). */
export function usePublished<T>(read: () => Promise<T>, key: string) {
  const [data, setData] = useState<T | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [missing, setMissing] = useState(false);
  const load = async () => {
    try {
      setData(await read());
      setFailure(null);
      focusHeadingIfLost();
    } catch (error) {
      if (error instanceof Problem && (error.status === 404 || error.status === 422)) setMissing(true);
      else setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    setData(null);
    setMissing(false);
    void load();
  }, [key]);
  return { data, failure, missing, retry: () => void load() };
}

/** Breadcrumbs from the list of sittings to this page (`trail`: the steps between). */
export function PublicCrumbs({ trail = [], current }: { trail?: { href: string; label: string }[]; current: string }) {
  return (
    <nav class="breadcrumbs" aria-label={t('docs.breadcrumbs')}>
      <ol>
        <li>
          <Link href={publicCouncilHref}>{t('council.public_title')}</Link>
        </li>
        {trail.map((step) => (
          <li key={step.href}>
            <Link href={step.href}>{step.label}</Link>
          </li>
        ))}
        <li>
          <span aria-current="page">{current}</span>
        </li>
      </ol>
    </nav>
  );
}

/**
 * The data behind the page, to take away: the CSV table (`csv` says what its rows are), the same
 * as JSON and, with `feed`, the Atom feed of results. Plain links: the browser downloads them.
 */
export function Downloads({ data, csv, feed = false }: { data: (format: 'json' | 'csv') => string; csv: string; feed?: boolean }) {
  const links = [
    { href: data('csv'), label: csv, format: 'CSV' },
    { href: data('json'), label: t('council.download_json'), format: 'JSON' },
    ...(feed ? [{ href: publicData.feed, label: t('council.feed'), format: 'Atom' }] : []),
  ];
  return (
    <section class="card downloads" aria-labelledby="downloads-title" id="downloads">
      <h2 id="downloads-title">{t('council.downloads')}</h2>
      <ul class="downloads__list">
        {links.map((l) => (
          <li key={l.href}>
            <a href={l.href} data-format={l.format.toLowerCase()}>
              {l.label}
            </a>{' '}
            <span class="badge badge--muted">{l.format}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
