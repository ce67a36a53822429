import { render } from 'preact';
import { App } from './app';
import { DEFAULT_LOCALE, setLocale, storedLocale } from './lib/i18n';
import { loadSession } from './lib/session';
import './styles.css';

async function start(): Promise<void> {
  // The language chosen on this device (else Bulgarian) before the first paint, then the session.
  await setLocale(storedLocale() ?? DEFAULT_LOCALE, false);
  const root = document.getElementById('app')!;
  root.textContent = '';
  render(<App />, root);
  await loadSession();
}

void start();
