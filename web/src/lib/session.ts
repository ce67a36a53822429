// The signed-in person's session: who they are, the CSRF token, idle expiry, and the ways
// a session starts (login, activation) and ends (logout, idle, ended on the server).
import { api, onForbidden, onUnauthenticated, Problem, serverNow, setCsrfToken } from './api';
import { currentLocale, isLocale, setLocale, storedLocale, type MessageKey } from './i18n';
import { navigate } from './router';
import { createStore } from './store';
import type { Locale, Person, Session } from './types';

/** `undefined` until the first GET /api/v1/session has answered; `null` when signed out. */
export const sessionStore = createStore<Session | null | undefined>(undefined);

/** A one-time notice for the login page ("you have been logged out", …). */
export const flashStore = createStore<MessageKey | null>(null);

/**
 * The server's idle timeout as far as this page can tell: the longest `idle_expires_at` minus
 * the moment its session response arrived. Responses to login, activation and extend (which
 * reset the idle timer) give it almost exactly; GET /session (not activity) only a lower bound.
 */
let idleTimeoutMs = 0;

export function idleTimeoutEstimate(): number {
  return idleTimeoutMs;
}

function setSession(session: Session | null): void {
  setCsrfToken(session ? session.csrf_token : null);
  if (session) {
    const span = Date.parse(session.idle_expires_at) - serverNow();
    if (Number.isFinite(span)) idleTimeoutMs = Math.max(idleTimeoutMs, span);
  } else {
    idleTimeoutMs = 0;
  }
  sessionStore.set(session);
}

/** Replaces the person inside the current session (after PATCH /me and the like). */
export function updatePerson(person: Person): void {
  const session = sessionStore.get();
  if (session) sessionStore.set({ ...session, person });
}

export function hasPermission(permission: string): boolean {
  const session = sessionStore.get();
  return !!session && session.person.permissions.includes(permission);
}

/**
 * After an explicit login or activation: a language chosen on this device wins (and is saved
 * to the person's profile); otherwise the person's own language is used.
 */
async function settleLanguage(session: Session, explicit: boolean): Promise<void> {
  const chosen = storedLocale();
  const personal = isLocale(session.person.locale) ? session.person.locale : null;
  if (chosen) {
    if (chosen !== currentLocale()) await setLocale(chosen);
    if (explicit && personal && personal !== chosen) {
      try {
        updatePerson(await api.patch<Person>('/me', { locale: chosen }));
      } catch {
        /* not essential: the interface is already in the chosen language */
      }
    }
  } else if (personal && personal !== currentLocale()) {
    await setLocale(personal, false);
  }
}

/** Asks the server whether this browser is signed in (on start-up). */
export async function loadSession(): Promise<void> {
  try {
    const session = await api.get<Session>('/session', { quiet401: true });
    setSession(session);
    await settleLanguage(session, false);
  } catch (error) {
    if (error instanceof Problem && error.slug !== 'unauthenticated') {
      // Network trouble or a server error: behave as signed out; the login page says why.
      flashStore.set(error.slug === 'network' ? 'problem.network' : 'problem.server');
    }
    setSession(null);
  }
}

export async function refreshSession(quiet = false): Promise<Session> {
  const session = await api.get<Session>('/session', { quiet401: quiet });
  setSession(session);
  return session;
}

/** A guest's way in: uses their meeting's link once; the session ends with the meeting. */
export async function enterAsGuest(token: string): Promise<Session & { meeting_id: string }> {
  const session = await api.post<Session & { meeting_id: string }>(`/public/guest-links/${encodeURIComponent(token)}`, {}, { quiet401: true });
  setSession(session);
  await settleLanguage(session, false);
  return session;
}

export async function login(accessCode: string, password: string, totp?: string): Promise<Session> {
  const body: Record<string, string> = { access_code: accessCode, password };
  if (totp) body.totp = totp;
  const session = await api.post<Session>('/session', body, { quiet401: true });
  setSession(session);
  await settleLanguage(session, true);
  return session;
}

export async function activate(
  accessCode: string,
  activationSecret: string,
  password: string,
): Promise<Session> {
  const session = await api.post<Session>(
    '/activation',
    { access_code: accessCode, activation_secret: activationSecret, password },
    { quiet401: true },
  );
  setSession(session);
  await settleLanguage(session, true);
  return session;
}

export async function extendSession(): Promise<Session> {
  const session = await api.post<Session>('/session/extend');
  setSession(session);
  return session;
}

/** Signs out locally and shows the login page with `reason`. */
export function endSession(reason: MessageKey | null): void {
  setSession(null);
  flashStore.set(reason);
  navigate('/login', { replace: true });
}

export async function logout(): Promise<void> {
  try {
    await api.delete('/session');
  } catch {
    /* already ended on the server: signing out locally is what matters */
  }
  endSession('session.logged_out');
}

/** Switches the interface language and, when signed in, saves it to the profile. */
export async function changeLanguage(locale: Locale): Promise<void> {
  await setLocale(locale);
  const session = sessionStore.get();
  if (session && session.person.locale !== locale) {
    try {
      updatePerson(await api.patch<Person>('/me', { locale }));
    } catch {
      /* the interface already switched; the profile keeps its old value */
    }
  }
}

onUnauthenticated(() => {
  if (sessionStore.get()) endSession('session.ended');
});

/**
 * A refusal may mean the rules changed under this session (an administrator now requires
 * two-step verification for one of the person's roles): ask for the session again, at most
 * every few seconds, so the app can show what is needed.
 */
let lastForbiddenCheck = 0;
onForbidden(() => {
  const session = sessionStore.get();
  if (!session || session.totp_enrolment_required) return;
  const now = Date.now();
  if (now - lastForbiddenCheck < 5000) return;
  lastForbiddenCheck = now;
  refreshSession(true).catch(() => {
    /* the page already shows the refusal */
  });
});
