// The conversation beside a meeting (its invitees) and in a room (its members, and while a
// meeting is on in it, that meeting's invitees): the history, newest at the bottom, earlier
// pages on request; live over `chat:<kind>:<id>`; a composer where Enter sends, Shift+Enter
// breaks the line and "@" offers the conversation's people to mention (sent as ids).
//
// A message's text is plain text from someone else: it is only ever put into the page as text
// nodes (never as HTML); web addresses become links built from text nodes as well.
//
// Screen readers: the list is a `role="log"` region named by the chat's heading, but its own
// live announcements are turned off (it would read out every earlier page loaded, and each
// message with its buttons); instead a polite region says "New message from …" for what others
// write. Nothing here ever moves the focus when a message arrives.
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { FieldShell, TextField } from '../../components/Field';
import { PresenceIndicator } from '../../components/PresenceIndicator';
import { cancelWaiting, whenActive } from '../../lib/activity';
import { api, Problem, query } from '../../lib/api';
import { nodeHref } from '../../lib/documents';
import { failureFrom, type FieldError, type FormFailure } from '../../lib/forms';
import { formatDateTime, intlTag, t, tPlural } from '../../lib/i18n';
import { usePresence } from '../../lib/presence';
import { watch } from '../../lib/realtime';
import { Link } from '../../lib/router';
import type { ChatMessage, Page, PersonRef, Session } from '../../lib/types';
import { useForm } from '../../lib/useForm';
import { dayKey, formatTime } from '../../lib/workspace';

const enc = encodeURIComponent;

export type ChatKind = 'meeting' | 'room';

/** The server's limit (characters, after trimming). */
export const CHAT_BODY_MAX = 4000;
/** The counter appears from here on. */
const COUNT_FROM = 3600;
const PAGE_SIZE = 30;
const PICKER_MAX = 8;
const ANNOUNCE_MS = 10_000;
/** How close to the bottom (px) still counts as reading the newest messages. */
const NEAR_BOTTOM = 80;

const chars = (text: string) => [...text].length;
const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const lower = (text: string) => text.normalize('NFC').toLocaleLowerCase(intlTag());

// ---------------------------------------------------------------- messages from the server

function asMessage(data: Record<string, unknown>): ChatMessage | null {
  const id = data.id;
  const author = data.author as Record<string, unknown> | null | undefined;
  if ((typeof id !== 'string' && typeof id !== 'number') || !author || typeof author !== 'object') return null;
  const doc = data.document as Record<string, unknown> | null | undefined;
  return {
    id: String(id),
    author: { id: String(author.id ?? ''), display_name: typeof author.display_name === 'string' ? author.display_name : '' },
    body: typeof data.body === 'string' ? data.body : '',
    document: doc && typeof doc === 'object' && doc.id !== undefined ? { id: String(doc.id), name: typeof doc.name === 'string' ? doc.name : '' } : null,
    mentions: Array.isArray(data.mentions) ? data.mentions.map(String) : [],
    created_at: typeof data.created_at === 'string' ? data.created_at : new Date().toISOString(),
    deleted: data.deleted === true,
  };
}

/** Old and new together, one of each id (the newer copy wins), oldest first. */
function merge(old: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const byId = new Map(old.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
}

function removed(m: ChatMessage): ChatMessage {
  return { ...m, deleted: true, body: '', document: null };
}

/** What is said about a message in one line (announcements, the removal dialog). */
function excerpt(m: ChatMessage, max = 200): string {
  const text = m.body.replace(/\s+/g, ' ').trim() || m.document?.name || '';
  return chars(text) > max ? `${[...text].slice(0, max).join('')}…` : text;
}

/** `10:05` today, else the date and the time. */
function when(iso: string): string {
  return dayKey(new Date(iso)) === dayKey(new Date()) ? formatTime(iso) : formatDateTime(iso);
}

// ---------------------------------------------------------------- text → nodes

/** A web address in a message: a link when it really is http(s), else the text itself. */
function WebLink({ url }: { url: string }) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return <>{url}</>;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return <>{url}</>;
  if (parsed.origin === location.origin) return <Link href={`${parsed.pathname}${parsed.search}${parsed.hash}`}>{url}</Link>;
  return (
    <a href={parsed.href} rel="noopener noreferrer nofollow">
      {url}
    </a>
  );
}

/** Punctuation that ends a sentence rather than the address before it. */
function trimUrl(url: string): string {
  let end = url.length;
  while (end > 0) {
    const c = url[end - 1]!;
    if (c === ')' && (url.slice(0, end).match(/\(/g)?.length ?? 0) >= (url.slice(0, end).match(/\)/g)?.length ?? 0)) break;
    if (!'.,;:!?\'")]}»”“’'.includes(c)) break;
    end--;
  }
  return url.slice(0, end);
}

/**
 * A message's text as text nodes: web addresses as links, `@Name` of the people it mentions
 * marked; line breaks stay (CSS `white-space: pre-wrap`).
 */
export function MessageText({ body, mentioned }: { body: string; mentioned: string[] }) {
  const names = [...new Set(mentioned.filter(Boolean))].sort((a, b) => b.length - a.length).map(escapeRe);
  const pattern = new RegExp(
    `(https?:\\/\\/[^\\s<>"]+)${names.length ? `|(@(?:${names.join('|')}))(?![\\p{L}\\p{N}])` : ''}`,
    'gu',
  );
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (let m = pattern.exec(body); m; m = pattern.exec(body)) {
    const whole = m[1] ? trimUrl(m[1]) : m[0];
    if (!whole) continue;
    if (m.index > last) parts.push(body.slice(last, m.index));
    parts.push(
      m[1] ? (
        <WebLink key={m.index} url={whole} />
      ) : (
        <strong key={m.index} class="chat-mention">
          {whole}
        </strong>
      ),
    );
    last = m.index + whole.length;
    pattern.lastIndex = last;
  }
  if (last < body.length) parts.push(body.slice(last));
  return <>{parts}</>;
}

// ---------------------------------------------------------------- mentions in the composer

/** The "@query" just before the caret (its "@" at `start`), if any. */
function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const m = /(?:^|[\s([{"'„“«])@([\p{L}\p{N}._'’-]*(?: [\p{L}\p{N}._'’-]+)?)$/u.exec(text.slice(0, caret));
  if (!m) return null;
  const q = m[1] ?? '';
  return { start: caret - q.length - 1, query: q };
}

/** People whose name (or one of its words) begins with `q`. */
function candidates(people: PersonRef[], q: string): PersonRef[] {
  const nq = lower(q.trim());
  const fits = (p: PersonRef) => {
    if (!nq) return true;
    const name = lower(p.display_name);
    return name.startsWith(nq) || name.split(/\s+/).some((w) => w.startsWith(nq));
  };
  return people.filter(fits).sort((a, b) => a.display_name.localeCompare(b.display_name, intlTag()));
}

function mentionsName(text: string, name: string): boolean {
  if (!name) return false;
  return new RegExp(`(?:^|[^\\p{L}\\p{N}])@${escapeRe(name)}(?![\\p{L}\\p{N}])`, 'u').test(text);
}

/**
 * Who the text mentions: everyone whose `@Name` is in it. When two people share a name, only
 * the one(s) chosen in the picker count.
 */
function mentionsIn(text: string, people: PersonRef[], picked: PersonRef[]): PersonRef[] {
  const byName = new Map<string, PersonRef[]>();
  for (const p of [...people, ...picked]) {
    const key = lower(p.display_name);
    const list = byName.get(key) ?? [];
    if (!list.some((x) => x.id === p.id)) list.push(p);
    byName.set(key, list);
  }
  const out: PersonRef[] = [];
  for (const list of byName.values()) {
    if (!mentionsName(text, list[0]!.display_name)) continue;
    if (list.length === 1) out.push(list[0]!);
    else out.push(...list.filter((p) => picked.some((x) => x.id === p.id)));
  }
  return out;
}

/** A document's page address (`…/documents/n/12`) or its number → its id; null: nothing given. */
function documentIdFrom(text: string): string | null | undefined {
  const s = text.trim();
  if (!s) return null;
  if (/^\d{1,18}$/.test(s)) return s;
  const m = /\/documents\/n\/(\d{1,18})(?:[/?#]|$)/.exec(s);
  return m ? m[1] : undefined;
}

// ---------------------------------------------------------------- the chat

export function Chat({ kind, id, people, session }: { kind: ChatKind; id: string; people: PersonRef[]; session: Session }) {
  const me = session.person;
  const moderator = me.permissions.includes('people.manage');
  const prefix = `chat-${kind}`;
  const titleId = `${prefix}-title`;
  const base = `/${kind}s/${enc(id)}/messages`;
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [cursor, setCursor] = useState<string | null>(null);
  const [earlierBusy, setEarlierBusy] = useState(false);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [closed, setClosed] = useState(false);
  const [said, setSaid] = useState('');
  const [removing, setRemoving] = useState<ChatMessage | null>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const known = useRef(new Set<string>());
  const scrollTo = useRef<'bottom' | { height: number; top: number } | null>(null);
  const sayTimer = useRef<number | undefined>(undefined);
  const state = useRef({ messages, cursor });
  state.current = { messages, cursor };

  const say = (text: string) => {
    setSaid(text);
    window.clearTimeout(sayTimer.current);
    sayTimer.current = window.setTimeout(() => setSaid(''), ANNOUNCE_MS);
  };
  const nearBottom = () => {
    const log = logRef.current;
    return !log || log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM;
  };

  /** A message that came (live, or as the answer to sending it). */
  const arrive = (m: ChatMessage) => {
    const fresh = !known.current.has(m.id);
    known.current.add(m.id);
    const mine = m.author.id === me.id;
    if (mine || nearBottom()) scrollTo.current = 'bottom';
    setMessages((old) => merge(old, [m]));
    if (fresh && !mine && !m.deleted) say(t('chat.arrived', { name: m.author.display_name, text: excerpt(m) }));
  };

  /** The newest page: at first, and again after a lost connection came back. */
  const loadNewest = async (again: boolean) => {
    try {
      const page = await api.get<Page<ChatMessage>>(`${base}${query({ limit: PAGE_SIZE })}`);
      for (const m of page.items) known.current.add(m.id);
      const { messages: old, cursor: oldCursor } = state.current;
      const newestOld = old.length ? Number(old[old.length - 1]!.id) : 0;
      const oldestNew = page.items.length ? Number(page.items[page.items.length - 1]!.id) : 0;
      // Missed more than a page meanwhile: start again from the newest page.
      const gap = again && old.length > 0 && page.next_cursor !== null && oldestNew > newestOld;
      if (!again || nearBottom()) scrollTo.current = 'bottom';
      setMessages((current) => merge(gap ? [] : current, page.items));
      setCursor(gap || !again || old.length === 0 ? page.next_cursor : oldCursor);
      setLoaded(true);
      setClosed(false);
      setFailure(null);
    } catch (error) {
      if (error instanceof Problem && error.slug === 'not-found') setClosed(true);
      // Read again on its own: no summary that would take the focus; the live events go on.
      else if (!again) setFailure(failureFrom(error));
    }
  };

  useEffect(() => {
    const key = {};
    setMessages([]);
    setLoaded(false);
    setCursor(null);
    setClosed(false);
    known.current = new Set();
    const stop = watch(
      `chat:${kind}:${id}`,
      (event) => {
        if (event.event === 'chat.message') {
          const m = asMessage(event.data);
          if (m) arrive(m);
        } else if (event.event === 'chat.removed') {
          const gone = String(event.data.id ?? '');
          setMessages((old) => old.map((m) => (m.id === gone ? removed(m) : m)));
        }
      },
      () => whenActive(key, () => void loadNewest(true)),
    );
    void loadNewest(false);
    return () => {
      stop();
      cancelWaiting(key);
      window.clearTimeout(sayTimer.current);
    };
  }, [kind, id]);

  // Keep the newest in sight, or the same messages in sight after earlier ones came in above.
  useLayoutEffect(() => {
    const log = logRef.current;
    const target = scrollTo.current;
    scrollTo.current = null;
    if (!log || !target) return;
    log.scrollTop = target === 'bottom' ? log.scrollHeight : target.top + (log.scrollHeight - target.height);
  }, [messages, loaded]);

  const loadEarlier = async () => {
    if (!cursor || earlierBusy) return;
    setEarlierBusy(true);
    try {
      const page = await api.get<Page<ChatMessage>>(`${base}${query({ limit: PAGE_SIZE, cursor })}`);
      for (const m of page.items) known.current.add(m.id);
      const log = logRef.current;
      if (log) scrollTo.current = { height: log.scrollHeight, top: log.scrollTop };
      setMessages((old) => merge(old, page.items));
      setCursor(page.next_cursor);
      setFailure(null);
      say(page.items.length ? tPlural('chat.loaded_earlier', page.items.length) : t('chat.no_earlier'));
      // The button is gone at the beginning: the focus goes to the list.
      if (!page.next_cursor) requestAnimationFrame(() => logRef.current?.focus());
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setEarlierBusy(false);
    }
  };

  // The authors' presence beside their names (live).
  const presence = usePresence(messages.map((m) => m.author.id));

  // Names of everyone seen here, for `@Name` in the messages that mention them.
  const names = new Map<string, string>();
  for (const p of people) names.set(p.id, p.display_name);
  for (const m of messages) names.set(m.author.id, m.author.display_name);
  // The people one may mention: the conversation's, and whoever wrote in it.
  const mentionable = [...names].map(([pid, display_name]) => ({ id: pid, display_name })).filter((p) => p.id !== me.id && p.display_name);

  return (
    <section class="card chat" aria-labelledby={titleId} id={prefix}>
      <h2 id={titleId}>{t('chat.title')}</h2>
      <p class="muted chat__intro">{t(kind === 'room' ? 'chat.intro_room' : 'chat.intro_meeting')}</p>
      <div class="visually-hidden" role="status" id={`${prefix}-announcer`}>
        {said}
      </div>
      {closed ? (
        <p class="chat__closed">{t(kind === 'room' ? 'chat.closed_room' : 'chat.closed_meeting')}</p>
      ) : !loaded ? (
        <>
          <ErrorSummary failure={failure} />
          {failure ? (
            <button type="button" class="button" onClick={() => void loadNewest(false)}>
              {t('common.retry')}
            </button>
          ) : (
            <p role="status">{t('common.loading')}</p>
          )}
        </>
      ) : (
        <>
          <ErrorSummary failure={failure} />
          {cursor ? (
            <button type="button" class="button button--secondary button--small chat__earlier" disabled={earlierBusy} onClick={() => void loadEarlier()}>
              {t('chat.load_earlier')}
            </button>
          ) : null}
          <div class="chat__log" role="log" aria-live="off" aria-labelledby={titleId} tabIndex={0} ref={logRef} id={`${prefix}-log`}>
            {messages.length === 0 ? (
              <p class="chat__empty muted">{t('chat.empty')}</p>
            ) : (
              <ol class="chat__list">
                {messages.map((m) => {
                  const mine = m.author.id === me.id;
                  const time = when(m.created_at);
                  return (
                    <li key={m.id} id={`${prefix}-message-${m.id}`} class={`chat-message${mine ? ' chat-message--mine' : ''}`} data-message-id={m.id} tabIndex={-1}>
                      <div class="chat-message__meta">
                        <span class="chat-message__author">{m.author.display_name}</span>
                        <PresenceIndicator presence={presence.get(m.author.id)} />{' '}
                        <time dateTime={m.created_at}>{time}</time>
                        {!m.deleted && (mine || moderator) && (
                          <button type="button" class="button button--small button--secondary chat-message__remove" onClick={() => setRemoving(m)}>
                            {t('chat.remove')}
                            <span class="visually-hidden"> — {t('chat.remove_which', { time })}</span>
                          </button>
                        )}
                      </div>
                      {m.deleted ? (
                        <p class="chat-message__removed">{t('chat.removed_text')}</p>
                      ) : (
                        <>
                          {m.body && (
                            <p class="chat-message__body">
                              <MessageText body={m.body} mentioned={m.mentions.map((pid) => names.get(pid) ?? '')} />
                            </p>
                          )}
                          {m.document && (
                            <p class="chat-message__document">
                              <span class="chat-message__label">{t('chat.document')}: </span>
                              <Link href={nodeHref(m.document.id)}>{m.document.name || m.document.id}</Link>
                            </p>
                          )}
                        </>
                      )}
                    </li>
                  );
                })}
              </ol>
            )}
          </div>
          <Composer
            prefix={prefix}
            base={base}
            people={mentionable}
            onSent={(m) => {
              arrive(m);
            }}
          />
        </>
      )}
      {removing && (
        <RemoveMessage
          prefix={prefix}
          message={removing}
          onClose={() => setRemoving(null)}
          onRemoved={(m) => {
            setRemoving(null);
            setMessages((old) => old.map((x) => (x.id === m.id ? removed(x) : x)));
            say(t('chat.removed_done'));
            // Its remove button is gone: the focus goes to the message (now "removed").
            requestAnimationFrame(() => document.getElementById(`${prefix}-message-${m.id}`)?.focus());
          }}
        />
      )}
    </section>
  );
}

// ---------------------------------------------------------------- removing a message

function RemoveMessage({
  prefix,
  message,
  onClose,
  onRemoved,
}: {
  prefix: string;
  message: ChatMessage;
  onClose: () => void;
  onRemoved: (m: ChatMessage) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const dialogId = `${prefix}-remove-dialog`;
  const remove = async () => {
    setBusy(true);
    try {
      await api.delete(`/messages/${enc(message.id)}`);
      onRemoved(message);
    } catch (error) {
      setFailure(failureFrom(error));
      setBusy(false);
    }
  };
  return (
    <Dialog id={dialogId} title={t('chat.remove_title')} describedBy={`${dialogId}-text`} onCancel={onClose}>
      <ErrorSummary failure={failure} />
      <p id={`${dialogId}-text`}>{t('chat.remove_confirm')}</p>
      <blockquote class="chat-quote">{excerpt(message)}</blockquote>
      <div class="button-row">
        <button type="button" class="button button--danger" disabled={busy} onClick={() => void remove()}>
          {t('chat.remove')}
        </button>
        <button type="button" class="button button--secondary" data-autofocus onClick={onClose}>
          {t('chat.remove_keep')}
        </button>
      </div>
    </Dialog>
  );
}

// ---------------------------------------------------------------- writing

function Composer({ prefix, base, people, onSent }: { prefix: string; base: string; people: PersonRef[]; onSent: (m: ChatMessage) => void }) {
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [focused, setFocused] = useState(false);
  const [active, setActive] = useState(0);
  /** The "@" whose suggestions were closed with Escape. */
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [picked, setPicked] = useState<PersonRef[]>([]);
  const [pickNote, setPickNote] = useState('');
  const [docOpen, setDocOpen] = useState(false);
  const [doc, setDoc] = useState('');
  const [countSaid, setCountSaid] = useState('');
  const form = useForm();
  const formRef = useRef<HTMLFormElement>(null);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const ids = {
    body: `${prefix}-body`,
    doc: `${prefix}-document`,
    list: `${prefix}-people`,
    counter: `${prefix}-counter`,
    found: `${prefix}-people-status`,
  };

  const at = mentionAt(text, caret);
  const asking = focused && at !== null && at.start !== dismissed;
  const options = asking ? candidates(people, at.query).slice(0, PICKER_MAX) : [];
  const listOpen = options.length > 0;
  const current = Math.min(active, options.length - 1);
  useEffect(() => setActive(0), [at?.start, at?.query]);

  const length = chars(text);
  const left = CHAT_BODY_MAX - length;
  const counting = length >= COUNT_FROM;
  const counterText = left >= 0 ? tPlural('chat.chars_left', left) : tPlural('chat.chars_over', -left);
  // The counter is said a moment after typing stops, not at every key.
  useEffect(() => {
    if (!counting) {
      setCountSaid('');
      return;
    }
    const timer = window.setTimeout(() => setCountSaid(counterText), 1000);
    return () => window.clearTimeout(timer);
  }, [counting, counterText]);

  const mentioned = mentionsIn(text, people, picked);
  const docId = documentIdFrom(doc);
  const messageLabel = t('chat.message');

  const fields: Record<string, [string, string]> = {
    body: [ids.body, messageLabel],
    document_id: [ids.doc, t('chat.document_field')],
  };
  mentioned.forEach((p, i) => (fields[`mentions[${i}]`] = [ids.body, `@${p.display_name}`]));

  const submit = form.submitWith({
    check: () => {
      const problems: FieldError[] = [];
      if (!text.trim() && !docId) problems.push({ id: ids.body, label: messageLabel, message: t('validation.body.required') });
      else if (chars(text.trim()) > CHAT_BODY_MAX) problems.push({ id: ids.body, label: messageLabel, message: t('validation.body.too_long') });
      if (docId === undefined) problems.push({ id: ids.doc, label: t('chat.document_field'), message: t('chat.document_invalid') });
      return problems;
    },
    send: async () => {
      const body: Record<string, unknown> = { body: text };
      if (mentioned.length) body.mentions = mentioned.map((p) => p.id);
      if (docId) body.document_id = docId;
      const sent = await api.post<ChatMessage>(base, body);
      // What was typed meanwhile (after the Enter) stays.
      const now = areaRef.current?.value ?? text;
      const rest = now.startsWith(text) ? now.slice(text.length).replace(/^\s+/, '') : now;
      setText(rest);
      setCaret(rest.length);
      setPicked([]);
      setDoc('');
      setDocOpen(false);
      setDismissed(null);
      onSent(sent);
      areaRef.current?.focus();
    },
    fields,
  });

  const syncCaret = () => {
    const area = areaRef.current;
    if (area) setCaret(area.selectionStart ?? area.value.length);
  };

  const pick = (p: PersonRef) => {
    if (!at) return;
    const insert = `@${p.display_name} `;
    const after = text.slice(caret).replace(/^ /, '');
    const next = text.slice(0, at.start) + insert + after;
    const pos = at.start + insert.length;
    // At once in the field too, so that the next key lands after the name.
    const area = areaRef.current;
    if (area) {
      area.value = next;
      area.focus();
      area.setSelectionRange(pos, pos);
    }
    setText(next);
    setCaret(pos);
    setPicked((old) => (old.some((x) => x.id === p.id) ? old : [...old, p]));
    setPickNote(t('chat.mention_chosen', { name: p.display_name }));
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (listOpen) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((current + step + options.length) % options.length);
        return;
      }
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        pick(options[current]!);
        return;
      }
      if (event.key === 'Escape') {
        // Closes the suggestions only (not a dialog around).
        event.preventDefault();
        event.stopPropagation();
        setDismissed(at!.start);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey) {
      // Not while an input method is still composing a character.
      if (event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      if (!form.busy) formRef.current?.requestSubmit();
    }
  };

  const optionId = (p: PersonRef) => `${ids.list}-${p.id}`;
  const bodyError = form.errorFor(ids.body);
  const foundText = listOpen ? tPlural('chat.mention_found', options.length) : asking && at!.query ? t('chat.mention_none') : '';

  return (
    <form class="form chat-composer" ref={formRef} onSubmit={submit} noValidate aria-labelledby={`${prefix}-title`}>
      <ErrorSummary failure={form.failure} />
      <FieldShell id={ids.body} label={messageLabel} hint={t('chat.hint')} error={bodyError}>
        {(describedBy, invalid) => (
          <>
            <textarea
              id={ids.body}
              name={ids.body}
              ref={areaRef}
              class="input input--area chat-composer__input"
              rows={3}
              value={text}
              autocomplete="off"
              aria-describedby={[describedBy, counting ? ids.counter : ''].filter(Boolean).join(' ') || undefined}
              aria-invalid={invalid ? 'true' : undefined}
              aria-controls={listOpen ? ids.list : undefined}
              aria-activedescendant={listOpen ? optionId(options[current]!) : undefined}
              onInput={(e) => {
                const area = e.currentTarget as HTMLTextAreaElement;
                const pos = area.selectionStart ?? area.value.length;
                setText(area.value);
                setCaret(pos);
                setPickNote('');
                // Out of the "@name" that was closed with Escape: the next "@" asks again.
                if (dismissed !== null && mentionAt(area.value, pos)?.start !== dismissed) setDismissed(null);
              }}
              onKeyDown={onKeyDown}
              onKeyUp={(e) => {
                if (!['ArrowUp', 'ArrowDown', 'Enter', 'Escape'].includes(e.key)) syncCaret();
              }}
              onClick={syncCaret}
              onFocus={() => {
                setFocused(true);
                syncCaret();
              }}
              onBlur={() => setFocused(false)}
            />
            {listOpen && (
              <ul class="chat-picker" role="listbox" id={ids.list} aria-label={t('chat.mention_list')}>
                {options.map((p, i) => (
                  <li
                    key={p.id}
                    id={optionId(p)}
                    role="option"
                    aria-selected={i === current ? 'true' : 'false'}
                    class="chat-picker__option"
                    // Keep the focus in the text while choosing with a pointer.
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => pick(p)}
                  >
                    {p.display_name}
                  </li>
                ))}
              </ul>
            )}
            {asking && !listOpen && at!.query && (
              <p class="chat-picker__none" aria-hidden="true">
                {t('chat.mention_none')}
              </p>
            )}
            {counting && (
              <p class={`chat-counter${left < 0 ? ' chat-counter--over' : ''}`} id={ids.counter}>
                {counterText}
              </p>
            )}
          </>
        )}
      </FieldShell>
      <div class="visually-hidden" role="status" id={ids.found}>
        {foundText || pickNote}
      </div>
      <div class="visually-hidden" role="status">
        {countSaid}
      </div>
      {docOpen || doc ? (
        <div class="chat-composer__document">
          <TextField
            id={ids.doc}
            label={t('chat.document_field')}
            hint={t('chat.document_hint')}
            error={form.errorFor(ids.doc)}
            value={doc}
            onValue={setDoc}
            autocomplete="off"
            spellcheck={false}
            maxLength={500}
          />
        </div>
      ) : null}
      <div class="button-row chat-composer__actions">
        <button type="submit" class="button" disabled={form.busy}>
          {t('chat.send')}
        </button>
        {docOpen || doc ? (
          <button
            type="button"
            class="button button--secondary"
            onClick={() => {
              setDoc('');
              setDocOpen(false);
              requestAnimationFrame(() => areaRef.current?.focus());
            }}
          >
            {t('chat.document_drop')}
          </button>
        ) : (
          <button
            type="button"
            class="button button--secondary"
            onClick={() => {
              setDocOpen(true);
              requestAnimationFrame(() => document.getElementById(ids.doc)?.focus());
            }}
          >
            {t('chat.document_add')}
          </button>
        )}
      </div>
    </form>
  );
}
