// The state every form here keeps (its failure and whether it is sending) and the one way it
// submits: check in the browser, send, and turn a refusal into a failure the form shows.
import { useState } from 'preact/hooks';
import { clientFailure, errorFor, failureFrom, type FieldError, type FormFailure } from './forms';

export interface SubmitSteps {
  /** Problems found before sending (empty fields…); any stops the submit. */
  check?: () => FieldError[];
  /** The request and what follows it; when it resolves, the failure is cleared. */
  send: () => Promise<void>;
  /** The server's field names → `[inputId, label]` of this form (see `failureFrom`). */
  fields?: Record<string, [string, string]>;
  /** Sees a refusal first: may change the failure, or return null to show none. */
  refused?: (error: unknown, failure: FormFailure) => FormFailure | null;
}

export function useForm() {
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [busy, setBusy] = useState(false);

  /** An `onSubmit` handler that runs the steps. */
  const submitWith =
    ({ check, send, fields, refused }: SubmitSteps) =>
    async (event: Event) => {
      event.preventDefault();
      const problems = check?.() ?? [];
      if (problems.length) {
        setFailure(clientFailure(problems));
        return;
      }
      setBusy(true);
      try {
        await send();
        setFailure(null);
      } catch (error) {
        const f = failureFrom(error, fields);
        setFailure(refused ? refused(error, f) : f);
      } finally {
        setBusy(false);
      }
    };

  return { failure, setFailure, busy, submitWith, errorFor: (id: string) => errorFor(failure, id) };
}
