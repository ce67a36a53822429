// PL-N: when the voting devices fail, the body's clerk (or the chair) calls the names of those
// entitled who have not voted and enters each answer; the server records each ballot as entered
// by them and marks the vote as manual. Afterwards the table says, for each name sent, what was
// entered (with its receipt) or why not. Never for a secret vote.
import { useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField } from '../../components/Field';
import { formatNumber, t, tMaybe } from '../../lib/i18n';
import { useForm } from '../../lib/useForm';
import { council, optionLabel, type ListedBallot, type Vote, type Voter } from '../../lib/council';
import { NamedListTable } from './common';
import type { OnSittingChanged } from './SittingPage';

const choiceId = (personId: string) => `named-entry-${personId}`;

export function NamedListEntry({ vote, voters, onEntered }: { vote: Vote; voters: Voter[]; onEntered: OnSittingChanged }) {
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [entered, setEntered] = useState<{ name: string; item: ListedBallot }[] | null>(null);
  const form = useForm();
  const waiting = voters.filter((v) => v.status === 'entitled' && !v.voted);
  const called = waiting.filter((v) => choices[v.person_id]);

  const submit = form.submitWith({
    check: () =>
      called.length
        ? []
        : [{ id: waiting[0] ? choiceId(waiting[0].person_id) : 'named-entry', label: t('council.named_entry_caption'), message: t('council.named_entry_nothing') }],
    send: async () => {
      const sent = called.map((v) => ({ person_id: v.person_id, choice: choices[v.person_id]! }));
      const items = await council.enterNamedList(vote.id, sent);
      const names = new Map(voters.map((v) => [v.person_id, v.name]));
      setEntered(items.map((item) => ({ name: names.get(item.person_id) ?? item.person_id, item })));
      setChoices({});
      const refused = items.filter((i) => i.problem).length;
      onEntered(null, t('council.named_entry_done', { entered: formatNumber(items.length - refused), refused: formatNumber(refused) }));
      requestAnimationFrame(() => document.getElementById('named-entry-result')?.focus());
    },
    fields: { ballots: [called[0] ? choiceId(called[0].person_id) : 'named-entry', t('council.named_entry_caption')] },
  });

  return (
    <div class="console__part named-entry" id="named-entry">
      <h3 id="named-entry-title">{t('council.named_entry')}</h3>
      <p class="muted">{t('council.named_entry_intro')}</p>
      {entered && (
        <div class="table-wrap" role="region" aria-labelledby="named-entry-result-caption" tabIndex={-1} id="named-entry-result">
          <table class="table table--stack">
            <caption id="named-entry-result-caption">{t('council.named_entry_result')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('people.name')}</th>
                <th scope="col">{t('council.choice')}</th>
                <th scope="col">{t('council.named_entry_outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {entered.map(({ name, item }) => (
                <tr key={item.person_id} data-person-id={item.person_id} class={item.problem ? 'named-entry__refused' : undefined}>
                  <th scope="row">{name}</th>
                  <td>{optionLabel(item.choice)}</td>
                  <td>
                    {item.problem ? (
                      <>
                        <span aria-hidden="true">✗ </span>
                        {t('council.named_refused', { why: tMaybe(`council.named_problem.${item.problem}`) ?? item.problem })}
                      </>
                    ) : (
                      <>
                        <span aria-hidden="true">✓ </span>
                        {t('council.named_entered')} <code class="ballot__receipt">{item.receipt}</code>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {waiting.length === 0 ? (
        <p id="named-entry-all">{t('council.named_entry_all_voted')}</p>
      ) : (
        <form class="form" onSubmit={submit} noValidate aria-labelledby="named-entry-title" id="named-entry-form">
          <ErrorSummary failure={form.failure} />
          <NamedListTable
            id="named-entry"
            caption={t('council.named_entry_caption')}
            rows={waiting}
            choiceOf={(v) => (
              <SelectField
                id={choiceId(v.person_id)}
                label={t('council.named_entry_choice', { name: v.name })}
                hideLabel
                error={form.errorFor(choiceId(v.person_id))}
                value={choices[v.person_id] ?? ''}
                onValue={(value) => setChoices((old) => ({ ...old, [v.person_id]: value }))}
                options={[{ value: '', label: t('council.named_entry_not_called') }, ...vote.options.map((o) => ({ value: o, label: optionLabel(o) }))]}
              />
            )}
          />
          <button type="submit" class="button" disabled={form.busy} id="named-entry-submit">
            {called.length ? t('council.named_entry_submit_n', { count: formatNumber(called.length) }) : t('council.named_entry_submit')}
          </button>
        </form>
      )}
    </div>
  );
}
