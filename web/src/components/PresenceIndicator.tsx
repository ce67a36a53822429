// A person's presence beside their name: a coloured dot whose mark differs by state as well
// (a tick: available; solid: busy; clock hands: away; a camera: in a meeting; a ring: offline;
// a bar: do not disturb), so colour never carries the meaning alone, and always a text
// alternative — shown (`labelled`) or for screen readers only, with a tooltip.
import { presenceText, type Presence } from '../lib/presence';

export function PresenceIcon({ presence }: { presence: Presence }) {
  const online = presence.state !== 'offline';
  return (
    <svg class="presence__icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <circle class="presence__dot" cx="8" cy="8" r={online ? 7 : 6} />
      {online && presence.dnd ? (
        <rect class="presence__mark" x="3.5" y="7" width="9" height="2" rx="0.5" />
      ) : presence.state === 'available' ? (
        <path class="presence__stroke" d="M4.6 8.3l2.2 2.2 4.6-4.8" />
      ) : presence.state === 'away' ? (
        <path class="presence__stroke" d="M8 4.2V8.4l2.6 1.6" />
      ) : presence.state === 'in-meeting' ? (
        <path class="presence__mark" d="M3.5 5.5h5.5v5H3.5zM9.6 7.3l2.9-1.8v5l-2.9-1.8z" />
      ) : null}
    </svg>
  );
}

export function PresenceIndicator({ presence, labelled = false }: { presence: Presence | undefined; labelled?: boolean }) {
  if (!presence) return null;
  const text = presenceText(presence);
  return (
    <span
      class={`presence presence--${presence.state}${presence.dnd && presence.state !== 'offline' ? ' presence--dnd' : ''}${labelled ? ' presence--labelled' : ''}`}
      data-state={presence.state}
      data-dnd={presence.dnd ? 'true' : 'false'}
      title={labelled ? undefined : text}
    >
      <PresenceIcon presence={presence} />
      <span class={labelled ? 'presence__text' : 'presence__text visually-hidden'}>{text}</span>
    </span>
  );
}
