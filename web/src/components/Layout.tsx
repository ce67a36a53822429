import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t, tMaybe, tPlural, type MessageKey } from '../lib/i18n';
import { arrivedStore, notificationText, unreadStore, useNotificationFeed } from '../lib/notifications';
import {
  presenceOf, presenceStateLabel, presenceText, PRESENCE_STATUSES, setMyPresence, statusOf, usePresence, type PresenceStatus,
} from '../lib/presence';
import { Link, usePath } from '../lib/router';
import { logout } from '../lib/session';
import { useStore } from '../lib/store';
import type { Session } from '../lib/types';
import { CallCentre } from './CallCentre';
import { IdleWarning } from './IdleWarning';
import { LanguageSwitcher } from './LanguageSwitcher';
import { PresenceIcon } from './PresenceIndicator';

/** Sets the window title and renders the page's one <h1> (focused after navigation). */
export function PageTitle({ children, title }: { children?: ComponentChildren; title: string }) {
  useEffect(() => {
    document.title = `${title} — Ratusha`;
  }, [title]);
  return (
    <h1 class="page-title" tabIndex={-1}>
      {children ?? title}
    </h1>
  );
}

function SkipLink() {
  return (
    <a class="skip-link" href="#main">
      {t('layout.skip')}
    </a>
  );
}

function Footer() {
  return (
    <footer class="site-footer">
      <div class="site-footer__inner">
        <Link href="/accessibility">{t('footer.accessibility')}</Link>
        <span>{t('footer.about')}</span>
      </div>
    </footer>
  );
}

function Logo() {
  return (
    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path d="M16 4l11 7v2H5v-2zM8 14h2.5v9H8zm4.5 0H15v9h-2.5zm4.5 0h2.5v9H17zm4.5 0H24v9h-2.5zM5 24.5h22V28H5z" />
    </svg>
  );
}

/** Pages for people who are not signed in: login, activation, accessibility statement. */
export function PublicLayout({ children }: { children: ComponentChildren }) {
  return (
    <div class="public">
      <SkipLink />
      <header class="site-header site-header--public">
        <div class="site-header__inner">
          <Link href="/login" class="brand">
            <Logo />
            <span class="brand__name">Ratusha</span>
          </Link>
          <LanguageSwitcher id="lang-public" />
        </div>
      </header>
      <main id="main" class="public__main" tabIndex={-1}>
        {children}
      </main>
      <Footer />
    </div>
  );
}

/** Modules that are not there yet (Documents, the workspace and the council are). */
const MODULES: { key: MessageKey }[] = [
  { key: 'nav.servicedesk' },
  { key: 'nav.citizens' },
  { key: 'nav.schools' },
];

/**
 * A navigation link; with `section`, every page under `href` counts as being there (and every
 * page under each of `also`).
 */
function NavLink({ href, label, section = false, also = [] }: { href: string; label: string; section?: boolean; also?: string[] }) {
  const path = usePath();
  const under = (base: string) => path.startsWith(`${base}/`);
  const current = path === href ? 'page' : section && (under(href) || also.some(under)) ? 'true' : undefined;
  return (
    <li>
      <Link href={href} class="nav__link" aria-current={current}>
        {label}
      </Link>
    </li>
  );
}

function MainNav({ session, open }: { session: Session; open: boolean }) {
  const permissions = session.person.permissions;
  const admin = ['people.read', 'people.manage', 'audit.read', 'settings.manage', 'tokens.manage'].some((p) => permissions.includes(p));
  // A guest came for one meeting: their start page and calendar lead to it; nothing else.
  if (session.person.kind === 'guest') {
    return (
      <nav id="main-nav" class={`nav${open ? ' nav--open' : ''}`} aria-label={t('nav.label')}>
        <ul class="nav__list">
          <NavLink href="/" label={t('nav.home')} />
          <NavLink href="/calendar" label={t('nav.calendar')} section also={['/meetings']} />
        </ul>
      </nav>
    );
  }
  return (
    <nav id="main-nav" class={`nav${open ? ' nav--open' : ''}`} aria-label={t('nav.label')}>
      <ul class="nav__list">
        <NavLink href="/" label={t('nav.home')} />
      </ul>
      <h2 class="nav__heading" id="nav-modules">
        {t('nav.modules')}
      </h2>
      <ul class="nav__list" aria-labelledby="nav-modules">
        <NavLink href="/calendar" label={t('nav.calendar')} section also={['/meetings']} />
        <NavLink href="/rooms" label={t('nav.rooms')} section />
        <NavLink href="/documents" label={t('nav.documents')} section />
        <NavLink href="/council" label={t('nav.council')} section />
        {MODULES.map((m) => (
          <li key={m.key}>
            <span class="nav__item nav__item--soon">
              <span>{t(m.key)}</span>
              <span class="nav__soon">{t('nav.coming_soon')}</span>
            </span>
          </li>
        ))}
      </ul>
      {admin && (
        <>
          <h2 class="nav__heading" id="nav-admin">
            {t('nav.administration')}
          </h2>
          <ul class="nav__list" aria-labelledby="nav-admin">
            {permissions.includes('people.manage') && <NavLink href="/admin/people" label={t('nav.people')} />}
            {permissions.includes('people.read') && <NavLink href="/admin/groups" label={t('nav.groups')} section />}
            {permissions.includes('audit.read') && <NavLink href="/admin/audit" label={t('nav.audit')} />}
            {permissions.includes('settings.manage') && <NavLink href="/admin/settings" label={t('nav.settings')} />}
            {permissions.includes('tokens.manage') && <NavLink href="/admin/tokens" label={t('nav.tokens')} />}
            {permissions.includes('people.manage') && <NavLink href="/admin/media" label={t('nav.media')} />}
          </ul>
        </>
      )}
    </nav>
  );
}

/** The bell: unread notifications, live; leads to /notifications. */
function Bell() {
  const unread = useStore(unreadStore);
  const path = usePath();
  const count = unread ?? 0;
  return (
    <Link
      href="/notifications"
      class={`bell${count > 0 ? ' bell--unread' : ''}`}
      aria-current={path === '/notifications' ? 'page' : undefined}
      data-unread={unread === null ? '' : String(count)}
    >
      <svg class="bell__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M12 3a6 6 0 0 0-6 6v3.6L4.3 16a1 1 0 0 0 .9 1.5h13.6a1 1 0 0 0 .9-1.5L18 12.6V9a6 6 0 0 0-6-6zm-2.5 16a2.5 2.5 0 0 0 5 0z" />
      </svg>
      {count > 0 && (
        <span class="bell__count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      )}
      <span class="visually-hidden">{count > 0 ? tPlural('notifications.bell', count) : t('notifications.bell_none')}</span>
    </Link>
  );
}

/**
 * Says politely that a notification arrived, with its text in the reader's language (the bell's
 * count changes silently) — unless the person asked not to be disturbed.
 */
function NotificationAnnouncer({ personId }: { personId: string }) {
  const arrived = useStore(arrivedStore);
  const [text, setText] = useState('');
  useEffect(() => {
    if (!arrived) return;
    if (presenceOf(personId)?.dnd) {
      setText('');
      return;
    }
    const kind = tMaybe(`notifications.kind.${arrived.item.kind}`) ?? t('notifications.kind.other');
    const said = notificationText(arrived.item);
    setText(
      said
        ? t('notifications.arrived_text', { kind, title: arrived.item.title, text: said })
        : t('notifications.arrived', { kind, title: arrived.item.title }),
    );
    const timer = window.setTimeout(() => setText(''), 10_000);
    return () => window.clearTimeout(timer);
  }, [arrived?.seq]);
  return (
    <div class="visually-hidden" role="status" aria-live="polite" id="notification-announcer">
      {text}
    </div>
  );
}

/**
 * One's own status in the header: a button that shows it and opens a small panel (a disclosure:
 * Tab moves through it, Escape closes it and gives the focus back) with "show me as" (available,
 * busy, away) and "do not disturb". A change is saved at once.
 */
function StatusMenu({ personId }: { personId: string }) {
  const presence = usePresence([personId]).get(personId);
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState<{ status: PresenceStatus | null; dnd: boolean } | null>(null);
  const [failed, setFailed] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const saving = useRef(0);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const status = choice ? choice.status : statusOf(presence);
  const dnd = choice ? choice.dnd : presence?.dnd ?? false;
  const path = usePath();
  useEffect(() => setOpen(false), [path]);

  // A click elsewhere closes it (the focus stays where the click put it).
  useEffect(() => {
    if (!open) return;
    const away = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  // One change after the other, so that the last one chosen is the one that stays.
  const save = (next: PresenceStatus, nextDnd: boolean) => {
    const mine = ++saving.current;
    setChoice({ status: next, dnd: nextDnd });
    setFailed(false);
    queue.current = queue.current.then(async () => {
      try {
        await setMyPresence(personId, next, nextDnd);
        if (mine === saving.current) setChoice(null);
      } catch {
        if (mine === saving.current) {
          setChoice(null);
          setFailed(true);
        }
      }
    });
  };

  const label = presence ? presenceText(presence) : '…';
  return (
    <div
      class="status-menu"
      ref={root}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation();
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        type="button"
        class="status-menu__button"
        id="status-menu-button"
        ref={button}
        aria-expanded={open ? 'true' : 'false'}
        aria-controls="status-menu-panel"
        onClick={() => setOpen(!open)}
      >
        {presence && <PresenceIcon presence={presence} />}
        <span class="visually-hidden">{t('presence.my_status')}: </span>
        <span class="status-menu__state">{label}</span>
      </button>
      <div class="status-menu__panel" id="status-menu-panel" hidden={!open}>
        <fieldset class="fieldset status-menu__group">
          <legend>{t('presence.show_as')}</legend>
          <ul class="checkboxes">
            {PRESENCE_STATUSES.map((s) => (
              <li class="checkbox" key={s}>
                <input
                  type="radio"
                  name="my-presence"
                  id={`my-presence-${s}`}
                  value={s}
                  checked={status === s}
                  onChange={() => save(s, dnd)}
                />
                <label for={`my-presence-${s}`}>{presenceStateLabel(s)}</label>
              </li>
            ))}
          </ul>
        </fieldset>
        {presence?.state === 'in-meeting' && <p class="status-menu__note">{t('presence.in_meeting_note')}</p>}
        <div class="checkbox status-menu__dnd-choice">
          <input
            type="checkbox"
            id="my-presence-dnd"
            checked={dnd}
            aria-describedby="my-presence-dnd-hint"
            onChange={(event) => save(status ?? 'available', (event.currentTarget as HTMLInputElement).checked)}
          />
          <label for="my-presence-dnd">{t('presence.dnd')}</label>
        </div>
        <p class="field__hint status-menu__hint" id="my-presence-dnd-hint">
          {t('presence.dnd_hint')}
        </p>
        {failed && (
          <p class="field__error status-menu__error" role="alert">
            {t('presence.not_saved')}
          </p>
        )}
      </div>
    </div>
  );
}

/**
 * The signed-in shell: header, navigation, main area, footer, idle-session warning. While the
 * person must first set up two-step verification there is nowhere else to go: no navigation,
 * only the language, logging out and the accessibility statement.
 */
export function AppLayout({ session, children }: { session: Session; children: ComponentChildren }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const path = usePath();
  useEffect(() => setMenuOpen(false), [path]);
  const person = session.person;
  const restricted = session.totp_enrolment_required;
  useNotificationFeed(restricted ? null : person.id);
  return (
    <div class={`app${menuOpen ? ' app--menu-open' : ''}${restricted ? ' app--restricted' : ''}`}>
      <SkipLink />
      <header class="site-header">
        <div class="site-header__inner">
          <Link href="/" class="brand">
            <Logo />
            <span class="brand__name">{session.organisation_name || person.unit_name || 'Ratusha'}</span>
          </Link>
          {!restricted && <Bell />}
          <button
            type="button"
            class="menu-toggle"
            aria-expanded={menuOpen ? 'true' : 'false'}
            aria-controls={restricted ? 'header-tools' : 'header-tools main-nav'}
            onClick={() => setMenuOpen(!menuOpen)}
          >
            <span class="menu-toggle__icon" aria-hidden="true" />
            {t('layout.menu')}
          </button>
          <div id="header-tools" class={`header-tools${menuOpen ? ' header-tools--open' : ''}`}>
            {restricted ? (
              <span class="header-tools__person">
                <span class="visually-hidden">{t('layout.signed_in_as')} </span>
                {person.display_name}
              </span>
            ) : (
              <Link href="/profile" class="header-tools__person" aria-current={path === '/profile' ? 'page' : undefined}>
                <span class="visually-hidden">{t('layout.signed_in_as')} </span>
                {person.display_name}
              </Link>
            )}
            {!restricted && <StatusMenu personId={person.id} />}
            <LanguageSwitcher id="lang-app" />
            <button type="button" class="button button--header" onClick={() => void logout()}>
              {t('layout.logout')}
            </button>
          </div>
        </div>
      </header>
      <div class="app__body">
        {!restricted && <MainNav session={session} open={menuOpen} />}
        <main id="main" class="app__main" tabIndex={-1}>
          {children}
        </main>
      </div>
      <Footer />
      {!restricted && <NotificationAnnouncer personId={person.id} />}
      {!restricted && <CallCentre personId={person.id} />}
      <IdleWarning session={session} />
    </div>
  );
}
