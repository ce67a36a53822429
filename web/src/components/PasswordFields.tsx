import type { FieldError } from '../lib/forms';
import { t } from '../lib/i18n';
import { TextField, type TextFieldProps } from './Field';

export const MIN_PASSWORD = 12;

type PasswordFieldProps = Omit<TextFieldProps, 'type' | 'autocomplete'> & {
  /** `current-password` to sign in or confirm, `new-password` to choose one. */
  autocomplete: 'current-password' | 'new-password';
};

/** One required password input. */
export function PasswordField(props: PasswordFieldProps) {
  return <TextField {...props} type="password" required />;
}

interface NewPasswordProps {
  /** Input ids of the new password and of its repetition. */
  ids: { password: string; repeat: string };
  label: string;
  password: string;
  repeat: string;
  onPassword: (value: string) => void;
  onRepeat: (value: string) => void;
  errorFor: (id: string) => string | undefined;
}

/** A new password (with the length hint) and the same password again. */
export function NewPasswordFields({ ids, label, password, repeat, onPassword, onRepeat, errorFor }: NewPasswordProps) {
  return (
    <>
      <PasswordField
        id={ids.password}
        label={label}
        hint={t('activate.password_hint', { min: MIN_PASSWORD })}
        error={errorFor(ids.password)}
        value={password}
        onValue={onPassword}
        autocomplete="new-password"
      />
      <PasswordField
        id={ids.repeat}
        label={t('activate.repeat')}
        error={errorFor(ids.repeat)}
        value={repeat}
        onValue={onRepeat}
        autocomplete="new-password"
      />
    </>
  );
}

/** What the browser can tell about a new password before sending it: length and repetition. */
export function newPasswordProblems(
  ids: { password: string; repeat: string },
  label: string,
  password: string,
  repeat: string,
): FieldError[] {
  const problems: FieldError[] = [];
  if (password.length < MIN_PASSWORD)
    problems.push({ id: ids.password, label, message: t('validation.password.too_short') });
  if (repeat !== password) problems.push({ id: ids.repeat, label: t('activate.repeat'), message: t('activate.mismatch') });
  return problems;
}
