// Published without login: /public/council/votes/:id — one vote with its result, a bar per
// option and (a closed named vote) how each member voted, its ledger and how anyone checks it
// with the independent program; /public/council/receipts[/:receipt] — "check your receipt":
// the ballot the receipt belongs to, found in the published ledgers.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { Problem } from '../../lib/api';
import { requiredError, type FormFailure } from '../../lib/forms';
import { t } from '../../lib/i18n';
import { Link } from '../../lib/router';
import { useForm } from '../../lib/useForm';
import {
  ledgerUrl, optionLabel, publicCouncil, publicData, publicReceiptHref, publicSittingHref, publicVoteHref, resultLabel, resultTone, voteTitle,
  type ReceiptAnswer,
} from '../../lib/council';
import { Loading, Missing } from '../workspace/common';
import { NamedListTable, voteMeta } from './common';
import { Downloads, PublicCrumbs, usePublished } from './Published';
import { backToList, personLink, VoteOutcome } from './PublicSittings';

// ---------------------------------------------------------------- a vote

export function PublicVotePage({ id }: { id: string }) {
  const { data: v, failure, missing, retry } = usePublished(() => publicCouncil.vote(id), id);
  if (missing) return <Missing title={t('council.vote_missing')} text={t('council.vote_missing_text')} {...backToList()} />;
  if (!v) return <Loading title={t('council.vote')} failure={failure} retry={retry} />;
  const sittingName = t('council.sitting_name', { number: v.sitting_number, title: v.sitting_title });
  const heading = `${t('council.vote_number', { number: v.number })}: ${voteTitle(v)}`;
  const closed = v.status === 'closed';
  return (
    <div class="public-council">
      <PublicCrumbs trail={[{ href: publicSittingHref(v.sitting_id), label: sittingName }]} current={t('council.vote_number', { number: v.number })} />
      <PageTitle title={heading} />
      <p class="lead">
        {v.body} · <Link href={publicSittingHref(v.sitting_id)}>{sittingName}</Link>
      </p>
      <p class="muted" id="vote-meta">
        {voteMeta(v)}
      </p>
      {v.repeat_of && (
        <p>
          <Link href={publicVoteHref(v.repeat_of)}>{t('council.repeat_note', { reason: v.repeat_reason ?? '' })}</Link>
        </p>
      )}
      <section class="card" aria-labelledby="result-title" id="result">
        <h2 id="result-title">{t('council.result_label')}</h2>
        <VoteOutcome vote={v} idPrefix="public-vote" />
      </section>

      <section class="card" aria-labelledby="named-title" id="named">
        <h2 id="named-title">{t('council.named_list_title')}</h2>
        {v.named_list.length > 0 ? (
          <NamedListTable id="named-list" caption={t('council.named_list', { number: v.number })} rows={v.named_list} nameOf={personLink} />
        ) : (
          <p>{v.kind === 'secret' ? t('council.named_list_secret') : t('council.named_list_later')}</p>
        )}
      </section>

      <section class="card" aria-labelledby="check-title" id="check">
        <h2 id="check-title">{t('council.check_title')}</h2>
        {closed ? (
          <>
            <p>{t('council.check_text')}</p>
            <ol class="check-steps">
              <li>
                <a href={ledgerUrl(v.id)} download={`ledger-${v.id}.json`} id="ledger-link">
                  {t('council.ledger_download')}
                </a>{' '}
                <span class="badge badge--muted">JSON</span>
              </li>
              <li>
                {t('council.check_run')}
                <pre class="code-line" tabIndex={0} aria-label={t('council.check_command')}>
                  <code>python3 tools/verify_vote.py ledger-{v.id}.json</code>
                </pre>
              </li>
              <li>{t('council.check_key')}</li>
            </ol>
          </>
        ) : (
          <p>{t('council.check_later')}</p>
        )}
        <p>
          <Link href={publicReceiptHref()}>{t('council.receipt_title')}</Link>
        </p>
      </section>

      <Downloads data={(f) => publicData.vote(v.id, f)} csv={t('council.download_vote_csv')} feed />
    </div>
  );
}

// ---------------------------------------------------------------- check a receipt

const RECEIPT_ID = 'receipt-code';

export function ReceiptPage({ receipt: given }: { receipt?: string }) {
  const [code, setCode] = useState(given ?? '');
  const [found, setFound] = useState<{ code: string; answer: ReceiptAnswer } | null>(null);
  const form = useForm();
  const resultRef = useRef<HTMLDivElement>(null);

  const look = async (wanted: string, focus: boolean) => {
    const answer = await publicCouncil.receipt(wanted);
    setFound({ code: wanted, answer });
    if (focus) requestAnimationFrame(() => resultRef.current?.focus());
  };
  const refused = (error: unknown, failure: FormFailure): FormFailure => {
    setFound(null);
    if (error instanceof Problem && (error.status === 404 || error.status === 422))
      return {
        ...failure,
        message: t('problem.validation'),
        fields: [{ id: RECEIPT_ID, label: t('council.receipt'), message: error.status === 404 ? t('council.receipt_not_found') : t('council.receipt_invalid') }],
      };
    return failure;
  };
  /** Looks the receipt up; the focus goes to the answer when someone asked (not on arrival). */
  const lookUp = (focus: boolean) =>
    form.submitWith({
      check: () => (code.trim() ? [] : [requiredError(RECEIPT_ID, t('council.receipt'))]),
      send: () => look(code.trim(), focus),
      refused,
    });
  const submit = lookUp(true);
  // With a receipt in the address (the member's link), look it up at once.
  useEffect(() => {
    if (given) void lookUp(false)(new Event('submit'));
  }, [given]);

  const a = found?.answer;
  return (
    <div class="public-council narrow">
      <PublicCrumbs current={t('council.receipt_title')} />
      <PageTitle title={t('council.receipt_title')} />
      <p class="lead">{t('council.receipt_intro')}</p>
      <form class="form" onSubmit={submit} noValidate id="receipt-form" aria-label={t('council.receipt_title')}>
        <ErrorSummary failure={form.failure} />
        <TextField
          id={RECEIPT_ID}
          label={t('council.receipt')}
          hint={t('council.receipt_field_hint')}
          error={form.errorFor(RECEIPT_ID)}
          value={code}
          onValue={setCode}
          autocomplete="off"
          spellcheck={false}
          autocapitalize="characters"
          maxLength={40}
          class="input--code"
        />
        <button type="submit" class="button" disabled={form.busy} id="receipt-submit">
          {t('council.receipt_submit')}
        </button>
      </form>
      {found && a && (
        <div class="receipt-found" tabIndex={-1} ref={resultRef} id="receipt-result" aria-labelledby="receipt-found-title">
          <h2 id="receipt-found-title">
            <span aria-hidden="true">✓ </span>
            {t('council.receipt_found')}
          </h2>
          <dl class="facts">
            <div>
              <dt>{t('council.receipt')}</dt>
              <dd>
                <code class="ballot__receipt">{found.code}</code>
              </dd>
            </div>
            <div>
              <dt>{t('council.record_vote')}</dt>
              <dd>
                <Link href={publicVoteHref(a.vote_id)} id="receipt-vote-link">
                  {a.vote_title}
                </Link>
              </dd>
            </div>
            <div>
              <dt>{t('council.choice')}</dt>
              <dd id="receipt-choice">{optionLabel(a.choice)}</dd>
            </div>
            <div>
              <dt>{t('council.receipt_entry')}</dt>
              <dd>{a.seq}</dd>
            </div>
            <div>
              <dt>{t('council.status')}</dt>
              <dd>
                {t(`council.vote_status.${a.vote_status === 'open' ? 'open' : a.vote_status === 'cancelled' ? 'cancelled' : 'closed'}`)}
                {a.result && (
                  <>
                    {' · '}
                    <span class={`badge badge--${resultTone(a.result)}`}>{resultLabel(a.result)}</span>
                  </>
                )}
              </dd>
            </div>
          </dl>
          {a.vote_status === 'closed' && (
            <p>
              <a href={ledgerUrl(a.vote_id)} download={`ledger-${a.vote_id}.json`}>
                {t('council.ledger_download')}
              </a>
            </p>
          )}
        </div>
      )}
    </div>
  );
}
