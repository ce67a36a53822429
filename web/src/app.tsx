import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { AppLayout, PageTitle, PublicLayout } from './components/Layout';
import { TotpRequired } from './components/TotpEnrol';
import { Problem } from './lib/api';
import { failureFrom, type FormFailure } from './lib/forms';
import { t, useLocale } from './lib/i18n';
import { Link, navigate, usePath } from './lib/router';
import { refreshSession, sessionStore } from './lib/session';
import { useStore } from './lib/store';
import type { Session } from './lib/types';
import { ActivatePage } from './pages/auth/Activate';
import { LoginPage } from './pages/auth/Login';
import { DashboardPage } from './pages/dashboard/Dashboard';
import { AuditPage } from './pages/admin/Audit';
import { GroupPage, GroupsPage } from './pages/admin/Groups';
import { MediaStatusPage } from './pages/admin/Media';
import { PeoplePage } from './pages/admin/People';
import { SettingsPage } from './pages/admin/Settings';
import { TokensPage } from './pages/admin/Tokens';
import { DocumentsHomePage } from './pages/documents/Home';
import { NodePage } from './pages/documents/NodePage';
import { PublicLinkPage } from './pages/documents/PublicLink';
import { GuestLinkPage } from './pages/workspace/GuestLink';
import { SearchPage } from './pages/documents/Search';
import { TrashPage } from './pages/documents/Trash';
import { BoardPage } from './pages/council/Board';
import { BodyPage } from './pages/council/BodyPage';
import { CouncilHomePage } from './pages/council/Home';
import { PublicCouncilPage, PublicRecordPage, PublicSittingPage } from './pages/council/PublicSittings';
import { PublicVotePage, ReceiptPage } from './pages/council/PublicVote';
import { SittingPage } from './pages/council/SittingPage';
import { publicCouncilHref, publicReceiptHref } from './lib/council';
import { AccessibilityPage } from './pages/info/Accessibility';
import { NotFoundPage } from './pages/info/NotFound';
import { ProfilePage } from './pages/profile/Profile';
import { CalendarPage } from './pages/workspace/Calendar';
import { EditMeetingPage, NewMeetingPage } from './pages/workspace/MeetingForm';
import { MeetingPage } from './pages/workspace/MeetingPage';
import { NotificationsPage } from './pages/workspace/Notifications';
import { RoomPage, RoomsPage } from './pages/workspace/Rooms';
import { Loading } from './pages/workspace/common';

type CallModule = typeof import('./pages/media/CallPage');
let callModule: Promise<CallModule> | null = null;

/**
 * The video meeting page comes in its own chunk, loaded on first use: janus-gateway and the
 * WebRTC adapter are large and most pages never need them.
 */
function CallRoute({ id, session }: { id: string; session: Session }) {
  const [page, setPage] = useState<CallModule | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const load = () => {
    setFailure(null);
    callModule ??= import('./pages/media/CallPage');
    callModule.then(
      (module) => setPage(() => module),
      () => {
        callModule = null;
        setFailure(failureFrom(new Problem({ slug: 'network', status: 0 })));
      },
    );
  };
  useEffect(load, []);
  if (!page) return <Loading title={t('media.title_plain')} failure={failure} retry={load} />;
  return <page.CallPage id={id} session={session} />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

/** After a client-side navigation, move focus to the new page's heading (like a page load). */
function useFocusOnNavigation(path: string) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const id = requestAnimationFrame(() => {
      if (location.hash) return;
      const heading = document.querySelector<HTMLElement>('main h1');
      (heading ?? document.getElementById('main'))?.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(id);
  }, [path]);
}

function Forbidden() {
  return (
    <div class="narrow">
      <PageTitle title={t('forbidden.title')} />
      <p>{t('forbidden.text')}</p>
      <p>
        <Link href="/">{t('notfound.home')}</Link>
      </p>
    </div>
  );
}

/**
 * A role of this person requires two-step verification and it is not set up yet: the server
 * allows nothing beyond their own account, so this is the only page until it is done; then
 * the session is asked for again and the permissions (and the page asked for) appear.
 */
function EnrolmentRequired() {
  const done = async () => {
    try {
      await refreshSession();
    } finally {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true }));
    }
  };
  return (
    <div class="narrow">
      <PageTitle title={t('totp.required_title')} />
      <TotpRequired onDone={() => void done()} />
    </div>
  );
}

function requires(session: Session, permission: string, page: ComponentChildren) {
  return session.person.permissions.includes(permission) ? page : <Forbidden />;
}

/** The council's pages: everyone who works here (the API refuses guests). */
function notGuest(session: Session, page: ComponentChildren) {
  return session.person.kind === 'guest' ? <Forbidden /> : page;
}

const canManagePeople = (session: Session) => session.person.permissions.includes('people.manage');

function signedInPage(path: string, session: Session): ComponentChildren {
  if (session.totp_enrolment_required) return <EnrolmentRequired />;
  switch (path) {
    case '/':
      return <DashboardPage session={session} />;
    case '/profile':
      return <ProfilePage session={session} />;
    case '/admin/people':
      return requires(session, 'people.manage', <PeoplePage />);
    case '/admin/groups':
      return requires(session, 'people.read', <GroupsPage canManage={canManagePeople(session)} />);
    case '/admin/audit':
      return requires(session, 'audit.read', <AuditPage />);
    case '/admin/settings':
      return requires(session, 'settings.manage', <SettingsPage />);
    case '/admin/tokens':
      return requires(session, 'tokens.manage', <TokensPage />);
    case '/admin/media':
      return requires(session, 'people.manage', <MediaStatusPage />);
    case '/documents':
      return <DocumentsHomePage />;
    case '/documents/trash':
      return <TrashPage />;
    case '/documents/search':
      return <SearchPage />;
    case '/notifications':
      return <NotificationsPage />;
    case '/calendar':
    case '/meetings':
      return <CalendarPage session={session} />;
    case '/meetings/new':
      return <NewMeetingPage key="new" session={session} />;
    case '/rooms':
      return <RoomsPage session={session} />;
    case '/council':
      return notGuest(session, <CouncilHomePage />);
  }
  const sitting = /^\/council\/sittings\/([^/]+)$/.exec(path);
  if (sitting) {
    const id = safeDecode(sitting[1]!);
    return notGuest(session, <SittingPage key={id} id={id} session={session} />);
  }
  const body = /^\/council\/bodies\/([^/]+)$/.exec(path);
  if (body) {
    const id = safeDecode(body[1]!);
    return notGuest(session, <BodyPage key={id} id={id} />);
  }
  const meeting = /^\/meetings\/([^/]+)(\/edit)?$/.exec(path);
  if (meeting) {
    const id = safeDecode(meeting[1]!);
    return meeting[2] ? <EditMeetingPage key={`edit-${id}`} id={id} session={session} /> : <MeetingPage key={id} id={id} session={session} />;
  }
  const room = /^\/rooms\/([^/]+)$/.exec(path);
  if (room) {
    const id = safeDecode(room[1]!);
    return <RoomPage key={id} id={id} session={session} />;
  }
  const call = /^\/rooms\/([^/]+)\/call$/.exec(path);
  if (call) {
    const id = safeDecode(call[1]!);
    return <CallRoute key={id} id={id} session={session} />;
  }
  const group = /^\/admin\/groups\/([^/]+)$/.exec(path);
  if (group) {
    const id = safeDecode(group[1]!);
    return requires(session, 'people.read', <GroupPage key={id} id={id} canManage={canManagePeople(session)} />);
  }
  const node = /^\/documents\/n\/([^/]+)$/.exec(path);
  if (node) return <NodePage id={safeDecode(node[1]!)} />;
  return <NotFoundPage />;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A page for everyone: in the application's layout for someone signed in, else the public one. */
function EitherLayout({ session, children }: { session: Session | null; children: ComponentChildren }) {
  return session ? (
    <AppLayout session={session} key="app">
      {children}
    </AppLayout>
  ) : (
    <PublicLayout>{children}</PublicLayout>
  );
}

/** `/public/council/…`: what the council publishes (sittings, votes, records, receipts), no login. */
function publishedPage(path: string): ComponentChildren | null {
  if (path === publicCouncilHref) return <PublicCouncilPage />;
  if (path === publicReceiptHref()) return <ReceiptPage key="receipt" />;
  const match = /^\/public\/council\/(sittings|votes|people|receipts)\/([^/]+)$/.exec(path);
  if (!match) return null;
  const id = safeDecode(match[2]!);
  switch (match[1]) {
    case 'sittings':
      return <PublicSittingPage key={id} id={id} />;
    case 'votes':
      return <PublicVotePage key={id} id={id} />;
    case 'people':
      return <PublicRecordPage key={id} id={id} />;
    default:
      return <ReceiptPage key={id} receipt={id} />;
  }
}

/** `/s/<token>`: a file shared by link, for anyone who has the link (no login). */
function publicLinkToken(path: string): string | null {
  const match = /^\/s\/([^/]+)$/.exec(path);
  return match ? safeDecode(match[1]!) : null;
}

export function App() {
  const session = useStore(sessionStore);
  useLocale();
  const path = usePath();
  useFocusOnNavigation(path);

  if (session === undefined) {
    return (
      <main id="main" class="boot" aria-busy="true">
        <p>{t('common.loading')}</p>
      </main>
    );
  }

  switch (path) {
    case '/activate':
      // Stays in the public layout through the whole activation (the session begins halfway).
      return (
        <PublicLayout>
          <ActivatePage />
        </PublicLayout>
      );
    case '/login':
      if (session) return <Redirect to="/" />;
      return (
        <PublicLayout>
          <LoginPage />
        </PublicLayout>
      );
    case '/accessibility':
      return (
        <EitherLayout session={session}>
          <AccessibilityPage />
        </EitherLayout>
      );
  }

  const published = publishedPage(path);
  if (published) return <EitherLayout session={session}>{published}</EitherLayout>;

  const guest = /^\/guest\/([^/]+)$/.exec(path);
  if (guest) {
    return (
      <PublicLayout>
        <GuestLinkPage token={safeDecode(guest[1]!)} />
      </PublicLayout>
    );
  }

  const token = publicLinkToken(path);
  if (token !== null) {
    return (
      <PublicLayout>
        <PublicLinkPage token={token} />
      </PublicLayout>
    );
  }

  if (!session) return <Redirect to="/login" />;

  // The projector in the hall: the sitting in large type, without header and navigation.
  const board = /^\/council\/sittings\/([^/]+)\/board$/.exec(path);
  if (board && !session.totp_enrolment_required && session.person.kind !== 'guest') {
    const id = safeDecode(board[1]!);
    return <BoardPage key={id} id={id} />;
  }
  return (
    <AppLayout session={session} key="app">
      {signedInPage(path, session)}
    </AppLayout>
  );
}
