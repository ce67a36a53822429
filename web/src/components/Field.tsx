import type { ComponentChildren, InputHTMLAttributes, PartialInputHTMLAttributes, TextareaHTMLAttributes } from 'preact';

interface FieldShellProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
  className?: string;
}

/** Label, hint and error around one control, wired with aria-describedby / aria-invalid. */
export function FieldShell({ id, label, hint, error, children, className }: FieldShellProps) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' field--error' : ''}${className ? ` ${className}` : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {children(ids || undefined, !!error)}
    </div>
  );
}

/** What every labelled control here takes. */
interface ControlProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onValue: (value: string) => void;
}

export type TextFieldProps = Omit<PartialInputHTMLAttributes<HTMLInputElement>, 'onInput' | 'value' | 'id' | 'role' | 'type'> &
  ControlProps & {
    type?: 'text' | 'password' | 'email' | 'search' | 'date' | 'time' | 'number';
  };

export function TextField({ id, label, hint, error, value, onValue, class: cls, type = 'text', ...rest }: TextFieldProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      {(describedBy, invalid) => {
        const props = {
          ...rest,
          id,
          name: id,
          type,
          class: `input${cls ? ` ${cls}` : ''}`,
          value,
          'aria-describedby': describedBy,
          'aria-invalid': invalid ? 'true' : undefined,
          onInput: (e: Event) => onValue((e.currentTarget as HTMLInputElement).value),
        } as InputHTMLAttributes<HTMLInputElement>;
        return <input {...props} />;
      }}
    </FieldShell>
  );
}

interface SelectProps extends ControlProps {
  options: { value: string; label: string }[];
  required?: boolean;
  /** The label for screen readers only (a choice in a table row whose header names it). */
  hideLabel?: boolean;
}

export function SelectField({ id, label, hint, error, value, onValue, options, required, hideLabel }: SelectProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} className={hideLabel ? 'field--label-hidden' : undefined}>
      {(describedBy, invalid) => (
        <select
          id={id}
          name={id}
          class="input"
          value={value}
          required={required}
          aria-describedby={describedBy}
          aria-invalid={invalid ? 'true' : undefined}
          onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

export interface TextAreaFieldProps extends ControlProps {
  rows?: number;
  maxLength?: number;
  required?: boolean;
}

/** A text of several lines (an agenda, a reason). */
export function TextAreaField({ id, label, hint, error, value, onValue, rows = 4, maxLength, required }: TextAreaFieldProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      {(describedBy, invalid) => {
        const props = {
          id,
          name: id,
          class: 'input input--area',
          rows,
          maxLength,
          required,
          value,
          'aria-describedby': describedBy,
          'aria-invalid': invalid ? 'true' : undefined,
          onInput: (e: Event) => onValue((e.currentTarget as HTMLTextAreaElement).value),
        } as TextareaHTMLAttributes<HTMLTextAreaElement>;
        return <textarea {...props} />;
      }}
    </FieldShell>
  );
}
