// Client-side routing with the History API. The server answers every non-API GET path with
// index.html, so deep links and reloads land here.
import type { PartialAnchorHTMLAttributes, ComponentChildren, TargetedMouseEvent } from 'preact';
import { createStore, useStore } from './store';

export const pathStore = createStore<string>(normalise(location.pathname));
/** The query string (`?q=…`) of the current address; pages that read it watch this. */
export const searchStore = createStore<string>(location.search);

function normalise(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, location.origin);
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  searchStore.set(url.search);
  pathStore.set(normalise(url.pathname));
  if (!url.hash) window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => {
  searchStore.set(location.search);
  pathStore.set(normalise(location.pathname));
});

export function usePath(): string {
  return useStore(pathStore);
}

/** The current address's query parameters; re-renders when they change. */
export function useSearchParams(): URLSearchParams {
  return new URLSearchParams(useStore(searchStore));
}

type LinkProps = Omit<PartialAnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'role'> & {
  href: string;
  children?: ComponentChildren;
};

/** An ordinary link that navigates without reloading (modified clicks keep their meaning). */
export function Link({ href, onClick, ...rest }: LinkProps) {
  const handle = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    if (onClick) (onClick as (e: TargetedMouseEvent<HTMLAnchorElement>) => void)(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
