// Turning problems (from the server or from a quick check in the browser) into what a form
// shows: one summary message and a message per field.
import { Problem } from './api';
import { formatNumber, t, tMaybe } from './i18n';

export interface FieldError {
  /** The id of the input the message belongs to. */
  id: string;
  label: string;
  message: string;
}

export interface FormFailure {
  /** Grows with every failure so the summary takes focus again each time. */
  seq: number;
  message: string;
  fields: FieldError[];
  requestId?: string | null;
}

let seq = 0;

/** A translated sentence for a problem: by its stable slug, else the server's own words. */
export function problemMessage(problem: unknown): string {
  if (!(problem instanceof Problem)) return t('problem.unknown');
  if (problem.slug === 'rate-limited' && problem.retryAfter !== null) {
    return t('problem.rate-limited.wait', {
      minutes: formatNumber(Math.max(1, Math.ceil(problem.retryAfter / 60))),
    });
  }
  const known = tMaybe(`problem.${problem.slug}`);
  if (known) return known;
  if (problem.status >= 500) return t('problem.server');
  return [problem.title, problem.detail].filter(Boolean).join(' — ') || t('problem.unknown');
}

/** Message for one field error by its `code` (field-specific wording first). */
export function fieldMessage(field: string, code: string | undefined, fallback?: string): string {
  if (code) {
    const text = tMaybe(`validation.${field}.${code}`) ?? tMaybe(`validation.${code}`);
    if (text) return text;
  }
  return fallback || t('validation.invalid');
}

/**
 * Builds a failure from any error. `fields` maps the server's field names to
 * `[inputId, label]` of this form; errors for other fields go into the summary text.
 */
export function failureFrom(
  error: unknown,
  fields: Record<string, [string, string]> = {},
): FormFailure {
  const problem = error instanceof Problem ? error : null;
  const fieldErrors: FieldError[] = [];
  const extra: string[] = [];
  for (const item of problem?.errors ?? []) {
    const name = item.field ?? '';
    const target = fields[name];
    const message = fieldMessage(name, item.code, item.message);
    if (target) fieldErrors.push({ id: target[0], label: target[1], message });
    else extra.push(item.message || message);
  }
  let message = problemMessage(error);
  if (problem?.slug === 'validation') {
    message = t('problem.validation');
    if (extra.length) message = `${message} ${extra.join(' ')}`;
  }
  if (!(error instanceof Problem)) console.error(error);
  return { seq: ++seq, message, fields: fieldErrors, requestId: problem?.requestId };
}

/** A failure found in the browser before sending (empty fields, passwords that differ). */
export function clientFailure(fields: FieldError[]): FormFailure {
  return { seq: ++seq, message: t('problem.validation'), fields };
}

export function errorFor(failure: FormFailure | null, id: string): string | undefined {
  return failure?.fields.find((f) => f.id === id)?.message;
}

export function inputValue(event: Event): string {
  return (event.currentTarget as HTMLInputElement).value;
}

/** The failure of a field left empty. */
export function requiredError(id: string, label: string): FieldError {
  return { id, label, message: t('validation.required') };
}
