// Pieces the council pages share (inside and published): a sitting in a list, the live quorum
// line, the majority picker (a preset of LAW.md or a custom rule), the tally of a closed vote
// with a bar per option, a named list, and the page's header facts.
import type { ComponentChildren } from 'preact';
import { SelectField, TextField } from '../../components/Field';
import { formatDateTime, formatNumber, t, tMaybe, tPlural } from '../../lib/i18n';
import { Link } from '../../lib/router';
import {
  customMajorityText, majorityLabel, MAJORITY_BASES, optionLabel, PRESETS, resultLabel, resultTone, sittingHref, sittingKindLabel,
  sittingModeLabel, sittingStatusLabel, statusTone, voteKindLabel, type Jurisdiction, type Majority, type MajorityBase, type MajorityInput, type Quorum,
  type NamedListRow, type Sitting, type Vote, type Voter, voteTitle} from '../../lib/council';
import { formatWhen } from '../../lib/workspace';

// ---------------------------------------------------------------- sittings in a list

export function SittingItem({ sitting, showBody = true, href = sittingHref }: { sitting: Sitting; showBody?: boolean; href?: (id: string) => string }) {
  const cancelled = sitting.status === 'cancelled';
  return (
    <li class={`meeting-item${cancelled ? ' meeting-item--cancelled' : ''}`} data-sitting-id={sitting.id}>
      <span class="meeting-item__time">
        <time dateTime={sitting.starts_at}>{formatWhen(sitting.starts_at)}</time>
      </span>
      <span class="meeting-item__title">
        <Link href={href(sitting.id)}>{t('council.sitting_name', { number: sitting.number, title: sitting.title })}</Link>
      </span>
      <span class="meeting-item__meta">
        {showBody && <span>{sitting.body.name}</span>}
        <span>
          {sittingKindLabel(sitting.kind)} · {sittingModeLabel(sitting.mode)}
        </span>
        <span>
          <span class="visually-hidden">{t('council.status')}: </span>
          <span class={`badge badge--${statusTone(sitting.status)}`}>{sittingStatusLabel(sitting.status)}</span>
        </span>
      </span>
    </li>
  );
}

// ---------------------------------------------------------------- quorum

/** "Present 27 of 51, 26 needed — quorum" (a polite live region: changes are announced). */
export function QuorumLine({ quorum, id = 'quorum', big = false }: { quorum: Quorum; id?: string; big?: boolean }) {
  return (
    <p class={`quorum${quorum.quorate ? ' quorum--ok' : ' quorum--no'}${big ? ' quorum--big' : ''}`} id={id} role="status" aria-live="polite">
      <span class="quorum__mark" aria-hidden="true">
        {quorum.quorate ? '✓' : '!'}
      </span>
      <span>
        {t('council.quorum_line', {
          present: formatNumber(quorum.present),
          seats: formatNumber(quorum.seats),
          needed: formatNumber(quorum.needed),
        })}{' '}
        — <strong>{quorum.quorate ? t('council.quorate') : t('council.not_quorate')}</strong>
      </span>
    </p>
  );
}

// ---------------------------------------------------------------- majority

/** The state of a majority picker: a preset id, 'item' (keep the item's rule), or 'custom'. */
export interface MajorityChoice {
  preset: string;
  base: MajorityBase;
  num: string;
  den: string;
  strict: boolean;
}

export const KEEP = 'keep';

export function majorityChoice(m?: Majority | null, keep = false): MajorityChoice {
  if (keep || !m) return { preset: keep ? KEEP : '', base: 'present', num: '1', den: '2', strict: true };
  if (m.id === 'custom') return { preset: 'custom', base: m.base, num: String(m.num), den: String(m.den), strict: m.strict };
  return { preset: m.id, base: m.base, num: String(m.num), den: String(m.den), strict: m.strict };
}

/** What to send: undefined for "keep" / the server's default. */
export function majorityInput(c: MajorityChoice): MajorityInput | undefined {
  if (c.preset === KEEP || c.preset === '') return undefined;
  if (c.preset !== 'custom') return c.preset;
  return { id: 'custom', base: c.base, num: Number(c.num), den: Number(c.den), strict: c.strict };
}

/**
 * A preset of the body's law with its meaning in words, or a custom rule (base, share, "more
 * than" or "at least"). `keepLabel` adds a first choice that keeps a rule already given (the
 * item's); `defaultLabel` one that leaves it to the server (the law's default).
 */
export function MajorityFields({
  idPrefix,
  jurisdiction,
  value,
  onChange,
  keepLabel,
  defaultLabel,
  error,
}: {
  idPrefix: string;
  jurisdiction: Jurisdiction;
  value: MajorityChoice;
  onChange: (next: MajorityChoice) => void;
  keepLabel?: string;
  defaultLabel?: string;
  error?: string;
}) {
  const presets = PRESETS[jurisdiction] ?? [];
  const options = [
    ...(keepLabel ? [{ value: KEEP, label: keepLabel }] : []),
    ...(defaultLabel ? [{ value: '', label: defaultLabel }] : []),
    ...presets.map((p) => ({ value: p, label: majorityLabel(p) })),
    { value: 'custom', label: t('council.majority.custom') },
  ];
  const set = (patch: Partial<MajorityChoice>) => onChange({ ...value, ...patch });
  return (
    <>
      <SelectField
        id={`${idPrefix}-majority`}
        label={t('council.majority')}
        hint={t('council.majority_hint')}
        error={error}
        value={value.preset}
        onValue={(preset) => set({ preset })}
        options={options}
      />
      {value.preset === 'custom' && (
        <fieldset class="fieldset majority-custom">
          <legend>{t('council.majority_custom_title')}</legend>
          <div class="form__row">
            <SelectField
              id={`${idPrefix}-strict`}
              label={t('council.majority_threshold')}
              value={value.strict ? 'strict' : 'at_least'}
              onValue={(v) => set({ strict: v === 'strict' })}
              options={[
                { value: 'strict', label: t('council.majority_more_than') },
                { value: 'at_least', label: t('council.majority_at_least') },
              ]}
            />
            <TextField id={`${idPrefix}-num`} type="number" label={t('council.majority_num')} value={value.num} onValue={(num) => set({ num })} min={1} max={100} class="input--short" />
            <TextField id={`${idPrefix}-den`} type="number" label={t('council.majority_den')} value={value.den} onValue={(den) => set({ den })} min={1} max={100} class="input--short" />
            <SelectField
              id={`${idPrefix}-base`}
              label={t('council.majority_base')}
              value={value.base}
              onValue={(base) => set({ base: base as MajorityBase })}
              options={MAJORITY_BASES.map((b) => ({ value: b, label: t(`council.base.${b}`) }))}
            />
          </div>
          {Number(value.num) > 0 && Number(value.den) > 0 && (
            <p class="muted" id={`${idPrefix}-custom-text`}>
              {customMajorityText({ base: value.base, num: Number(value.num), den: Number(value.den), strict: value.strict })}
            </p>
          )}
        </fieldset>
      )}
    </>
  );
}

// ---------------------------------------------------------------- results

/** The result of a closed vote: a badge, and a bar with the count per option (in words too). */
export function Tally({ vote, idPrefix, big = false }: { vote: Vote; idPrefix: string; big?: boolean }) {
  if (!vote.tally) return null;
  const total = Object.values(vote.tally).reduce((a, b) => a + b, 0);
  const most = Math.max(1, ...Object.values(vote.tally));
  return (
    <div class={`tally${big ? ' tally--big' : ''}`}>
      <p class="tally__result">
        <span class={`badge badge--${resultTone(vote.result)} tally__badge`}>{resultLabel(vote.result)}</span>{' '}
        <span class="muted">{tPlural('council.ballots_cast', total)}</span>
      </p>
      <table class="tally__table" id={`${idPrefix}-tally`}>
        <caption class="visually-hidden">{t('council.tally_caption', { title: voteTitle(vote) })}</caption>
        <thead class="visually-hidden">
          <tr>
            <th scope="col">{t('council.option')}</th>
            <th scope="col">{t('council.votes_count')}</th>
            <th scope="col">{t('council.share')}</th>
          </tr>
        </thead>
        <tbody>
          {vote.options.map((o) => {
            const n = vote.tally?.[o] ?? 0;
            return (
              <tr key={o} data-option={o}>
                <th scope="row" class="tally__option">
                  {optionLabel(o)}
                </th>
                <td class="tally__count">{formatNumber(n)}</td>
                <td class="tally__bar">
                  <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false" class={`tally__svg tally__svg--${o === 'yes' ? 'yes' : o === 'no' ? 'no' : o === 'abstain' ? 'abstain' : 'other'}`}>
                    <rect x="0" y="0" width="100" height="10" class="tally__track" />
                    <rect x="0" y="0" width={String((n / most) * 100)} height="10" class="tally__fill" />
                  </svg>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** "named · BG-M1 — … · 10 Dec 2026, 11:02 · named list entered by the clerk (PL-N)". */
export function voteMeta(vote: Vote): string {
  return [
    voteKindLabel(vote.kind),
    majorityLabel(vote.majority),
    vote.closed_at ? formatDateTime(vote.closed_at) : '',
    vote.manual ? t('council.manual') : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** What a member's line of a named list says: the choice, "did not vote", or why they did not vote. */
export function namedChoice(row: { status: string; choice: string | null }): string {
  if (row.status !== 'entitled') return tMaybe(`council.voter_status.${row.status}`) ?? row.status;
  return row.choice ? optionLabel(row.choice) : t('council.did_not_vote');
}

/** A named list as a table (name, group, vote), scrolling on its own on a small screen;
 * `nameOf` may turn a name into a link, `choiceOf` put something else in the vote's column. */
export function NamedListTable<Row extends NamedListRow | Voter>({
  id,
  caption,
  rows,
  nameOf = (row) => row.name,
  choiceOf = namedChoice,
}: {
  id: string;
  caption: string;
  rows: Row[];
  nameOf?: (row: Row) => ComponentChildren;
  choiceOf?: (row: Row) => ComponentChildren;
}) {
  return (
    <div class="table-wrap" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table class="table table--stack" id={`${id}-table`}>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('people.name')}</th>
            <th scope="col">{t('council.group')}</th>
            <th scope="col">{t('council.choice')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((v) => (
            <tr key={v.person_id} data-person-id={v.person_id}>
              <th scope="row">{nameOf(v)}</th>
              <td>{v.group}</td>
              <td>{choiceOf(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A bar for "voted 31 of 48" (the words beside it are what counts). */
export function ProgressBar({ value, max }: { value: number; max: number }) {
  const share = max > 0 ? Math.min(1, value / max) : 0;
  return (
    <svg viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false" class="progress-bar">
      <rect x="0" y="0" width="100" height="6" class="progress-bar__track" />
      <rect x="0" y="0" width={String(share * 100)} height="6" class="progress-bar__fill" />
    </svg>
  );
}

/** "Voted 31 of 48". */
export function progressText(vote: Pick<Vote, 'voted' | 'entitled'>): string {
  return t('council.progress', { voted: formatNumber(vote.voted), entitled: formatNumber(vote.entitled) });
}

// ---------------------------------------------------------------- header

export function SittingFacts({ sitting }: { sitting: Sitting }) {
  return (
    <dl class="facts sitting-facts">
      <div>
        <dt>{t('council.when')}</dt>
        <dd>
          <time dateTime={sitting.starts_at}>{formatWhen(sitting.starts_at)}</time>
        </dd>
      </div>
      <div>
        <dt>{t('council.mode_label')}</dt>
        <dd>{sittingModeLabel(sitting.mode)}</dd>
      </div>
      <div>
        <dt>{t('council.kind_label')}</dt>
        <dd>{sittingKindLabel(sitting.kind)}</dd>
      </div>
      {sitting.place && (
        <div>
          <dt>{t('council.place')}</dt>
          <dd>{sitting.place}</dd>
        </div>
      )}
      <div>
        <dt>{t('council.status')}</dt>
        <dd>
          <span class={`badge badge--${statusTone(sitting.status)}`}>{sittingStatusLabel(sitting.status)}</span>
        </dd>
      </div>
    </dl>
  );
}
