// The agenda: each item with its rapporteur, draft decision, majority rule, status and the
// declared conflicts. Before the sitting opens the body's clerks and chairs (and administrators)
// add, edit and reorder items; once it is open the agenda is locked and the chair puts a change
// (add, withdraw, move) to a vote instead.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField, TextAreaField, TextField } from '../../components/Field';
import { nodeHref } from '../../lib/documents';
import { failureFrom, requiredError, type FormFailure } from '../../lib/forms';
import { t } from '../../lib/i18n';
import { Link } from '../../lib/router';
import { useForm } from '../../lib/useForm';
import {
  council, itemStatusLabel, majorityLabel, type AgendaChangeKind, type AgendaItem, type AgendaItemInput, type SittingView, voteTitle} from '../../lib/council';
import { MajorityFields, majorityChoice, majorityInput, type MajorityChoice } from './common';
import { FormButtons } from './forms';
import type { OnSittingChanged } from './SittingPage';

const itemTone = (s: string) => (s === 'current' ? 'today' : s === 'done' ? 'ok' : s === 'withdrawn' ? 'cancelled' : 'muted');

export function Agenda({ view, onChanged }: { view: SittingView; onChanged: OnSittingChanged }) {
  const me = view.me;
  const prepares = view.status === 'scheduled' && (me.administers || me.clerks || me.presides);
  const proposes = view.status === 'open' && me.presides;
  const [editing, setEditing] = useState<AgendaItem | null>(null);
  const [moving, setMoving] = useState('');
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const items = [...view.items].sort((a, b) => a.position - b.position);

  const move = async (item: AgendaItem, position: number) => {
    setMoving(item.id);
    try {
      await council.changeItem(item.id, { position });
      setFailure(null);
      onChanged(null, t('council.item_moved', { title: item.title, position }));
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setMoving('');
    }
  };

  return (
    <section class="card agenda-card" aria-labelledby="agenda-title" id="agenda">
      <h2 id="agenda-title">{t('council.agenda')}</h2>
      {view.status === 'open' && <p class="muted">{t('council.agenda_locked')}</p>}
      <ErrorSummary failure={failure} />
      {items.length === 0 ? (
        <p>{t('council.agenda_empty')}</p>
      ) : (
        <ol class="agenda-items" id="agenda-items">
          {items.map((item, index) => {
            const conflicts = view.conflicts.filter((c) => c.item_id === item.id);
            return (
              <AgendaEntry key={item.id} item={item} conflicts={conflicts} materials>
                {prepares && (
                  <div class="table__buttons">
                    <button type="button" class="button button--small button--secondary" onClick={() => setEditing(item)}>
                      {t('council.edit_item')}
                      <span class="visually-hidden"> — {item.title}</span>
                    </button>
                    {index > 0 && (
                      <button type="button" class="button button--small button--secondary" disabled={moving === item.id} onClick={() => void move(item, item.position - 1)}>
                        {t('council.move_up')}
                        <span class="visually-hidden"> — {item.title}</span>
                      </button>
                    )}
                    {index < items.length - 1 && (
                      <button type="button" class="button button--small button--secondary" disabled={moving === item.id} onClick={() => void move(item, item.position + 1)}>
                        {t('council.move_down')}
                        <span class="visually-hidden"> — {item.title}</span>
                      </button>
                    )}
                  </div>
                )}
              </AgendaEntry>
            );
          })}
        </ol>
      )}
      {view.pending_agenda_changes.length > 0 && (
        <div class="notice notice--info" id="pending-changes">
          <h3 class="notice__title">{t('council.pending_changes')}</h3>
          <ul class="plain-list">
            {view.pending_agenda_changes.map((c) => (
              <li key={c.id}>{changeText(view, c.kind, c.item_id, c.position, c.payload?.title)}</li>
            ))}
          </ul>
        </div>
      )}
      {prepares && <ItemForm view={view} onChanged={onChanged} />}
      {proposes && <ProposeChange view={view} onChanged={onChanged} />}
      {editing && (
        <Dialog id="item-dialog" title={t('council.edit_item_title', { title: editing.title })} onCancel={() => setEditing(null)}>
          <ItemForm
            view={view}
            item={editing}
            onChanged={(fresh, text) => {
              setEditing(null);
              onChanged(fresh, text);
            }}
            onCancel={() => setEditing(null)}
          />
        </Dialog>
      )}
    </section>
  );
}

/** One item of an agenda: title and status, rapporteur, rule, the draft to unfold, the conflicts
 * declared on it; `children` after (the buttons of those who prepare the agenda). */
export function AgendaEntry({
  item, conflicts, children, materials = false,
}: { item: AgendaItem; conflicts: { display_name: string }[]; children?: ComponentChildren; materials?: boolean }) {
  return (
    <li class={`agenda-item agenda-item--${item.status}`} data-item-id={item.id}>
      <h3 class="agenda-item__title">
        <span class="agenda-item__number">{item.position}.</span> {item.title}{' '}
        <span class={`badge badge--${itemTone(item.status)}`}>{itemStatusLabel(item.status)}</span>
      </h3>
      <p class="agenda-item__meta">
        {item.rapporteur && (
          <>
            {t('council.rapporteur')}: {item.rapporteur} ·{' '}
          </>
        )}
        {majorityLabel(item.majority)}
        {item.named_required ? ` · ${t('council.named_required_short')}` : ''}
        {item.added_by_vote ? ` · ${t('council.added_by_vote')}` : ''}
      </p>
      {item.draft && (
        <details class="agenda-item__draft">
          <summary>{t('council.draft')}</summary>
          <p class="agenda">{item.draft}</p>
        </details>
      )}
      {materials && item.materials_folder_id && (
        <p>
          <Link href={nodeHref(item.materials_folder_id)}>
            {t('council.materials')}
            <span class="visually-hidden"> — {item.title}</span>
          </Link>
        </p>
      )}
      {conflicts.length > 0 && (
        <p class="agenda-item__conflicts">{t('council.conflicts_on_item', { names: conflicts.map((c) => c.display_name).join(', ') })}</p>
      )}
      {children}
    </li>
  );
}

function changeText(view: SittingView, kind: AgendaChangeKind, itemId: string | null, position: number | null, title?: string): string {
  const item = view.items.find((i) => i.id === itemId);
  return t(`council.change.${kind}`, { title: title ?? item?.title ?? '', position: position ?? '' });
}

// ---------------------------------------------------------------- item fields

interface ItemFieldsState {
  title: string;
  rapporteur: string;
  draft: string;
  majority: MajorityChoice;
  position: string;
}

function ItemFields({ prefix, state, set, errorFor, view }: { prefix: string; state: ItemFieldsState; set: (patch: Partial<ItemFieldsState>) => void; errorFor: (id: string) => string | undefined; view: SittingView }) {
  return (
    <>
      <TextField id={`${prefix}-title`} label={t('council.item_title')} error={errorFor(`${prefix}-title`)} value={state.title} onValue={(title) => set({ title })} maxLength={500} required />
      <TextField id={`${prefix}-rapporteur`} label={t('council.rapporteur')} error={errorFor(`${prefix}-rapporteur`)} value={state.rapporteur} onValue={(rapporteur) => set({ rapporteur })} maxLength={200} />
      <TextAreaField id={`${prefix}-draft`} label={t('council.draft')} error={errorFor(`${prefix}-draft`)} value={state.draft} onValue={(draft) => set({ draft })} rows={4} maxLength={20000} />
      <MajorityFields
        idPrefix={prefix}
        jurisdiction={view.body.jurisdiction}
        value={state.majority}
        onChange={(majority) => set({ majority })}
        defaultLabel={t('council.majority_default')}
        error={errorFor(`${prefix}-majority`)}
      />
      <TextField
        id={`${prefix}-position`}
        type="number"
        label={t('council.position')}
        hint={t('council.position_hint')}
        error={errorFor(`${prefix}-position`)}
        value={state.position}
        onValue={(position) => set({ position })}
        min={1}
        class="input--short"
      />
    </>
  );
}

function itemBody(state: ItemFieldsState): AgendaItemInput {
  const body: AgendaItemInput = { title: state.title.trim(), rapporteur: state.rapporteur.trim(), draft: state.draft };
  const m = majorityInput(state.majority);
  if (m !== undefined) body.majority = m;
  if (state.position.trim()) body.position = Number(state.position);
  return body;
}

const itemFieldMap = (prefix: string) => ({
  title: [`${prefix}-title`, t('council.item_title')] as [string, string],
  rapporteur: [`${prefix}-rapporteur`, t('council.rapporteur')] as [string, string],
  draft: [`${prefix}-draft`, t('council.draft')] as [string, string],
  majority: [`${prefix}-majority`, t('council.majority')] as [string, string],
  'majority.id': [`${prefix}-majority`, t('council.majority')] as [string, string],
  'majority.base': [`${prefix}-majority`, t('council.majority')] as [string, string],
  position: [`${prefix}-position`, t('council.position')] as [string, string],
  'item.title': [`${prefix}-title`, t('council.item_title')] as [string, string],
  'item.majority': [`${prefix}-majority`, t('council.majority')] as [string, string],
});

/** Adding an item (no `item`) or changing one, before the sitting opens. */
function ItemForm({ view, item, onChanged, onCancel }: { view: SittingView; item?: AgendaItem; onChanged: OnSittingChanged; onCancel?: () => void }) {
  const prefix = item ? 'edit-item' : 'new-item';
  const initial: ItemFieldsState = {
    title: item?.title ?? '',
    rapporteur: item?.rapporteur ?? '',
    draft: item?.draft ?? '',
    majority: item ? majorityChoice(item.majority) : majorityChoice(null),
    position: item ? String(item.position) : '',
  };
  const [state, setState] = useState(initial);
  const form = useForm();
  const set = (patch: Partial<ItemFieldsState>) => setState((old) => ({ ...old, ...patch }));

  const submit = form.submitWith({
    check: () => (state.title.trim() ? [] : [requiredError(`${prefix}-title`, t('council.item_title'))]),
    send: async () => {
      if (item) {
        await council.changeItem(item.id, itemBody(state));
        onChanged(null, t('council.item_saved', { title: state.title.trim() }));
      } else {
        await council.addItem(view.id, itemBody(state));
        setState({ ...initial, majority: majorityChoice(null) });
        onChanged(null, t('council.item_added', { title: state.title.trim() }));
        requestAnimationFrame(() => document.getElementById(`${prefix}-title`)?.focus());
      }
    },
    fields: itemFieldMap(prefix),
  });

  const fields = (
    <form class="form" onSubmit={submit} noValidate aria-labelledby={item ? undefined : 'new-item-title-heading'} id={`${prefix}-form`}>
      <ErrorSummary failure={form.failure} />
      <ItemFields prefix={prefix} state={state} set={set} errorFor={form.errorFor} view={view} />
      <FormButtons submit={item ? t('common.save') : t('council.add_item')} busy={form.busy} onCancel={onCancel} />
    </form>
  );
  if (item) return fields;
  return (
    <div class="agenda-form">
      <h3 id="new-item-title-heading">{t('council.add_item')}</h3>
      {fields}
    </div>
  );
}

// ---------------------------------------------------------------- changes during the sitting

function ProposeChange({ view, onChanged }: { view: SittingView; onChanged: OnSittingChanged }) {
  const [kind, setKind] = useState<AgendaChangeKind>('add');
  const [itemId, setItemId] = useState('');
  const [state, setState] = useState<ItemFieldsState>({ title: '', rapporteur: '', draft: '', majority: majorityChoice(null), position: '' });
  const form = useForm();
  const open = view.items.filter((i) => i.status === 'pending' || i.status === 'current');
  const chosen = open.some((i) => i.id === itemId) ? itemId : open[0]?.id ?? '';
  const prefix = 'change-item';
  const set = (patch: Partial<ItemFieldsState>) => setState((old) => ({ ...old, ...patch }));

  const submit = form.submitWith({
    check: () => {
      if (kind === 'add' && !state.title.trim()) return [requiredError(`${prefix}-title`, t('council.item_title'))];
      if (kind !== 'add' && !chosen) return [requiredError('change-which', t('council.agenda_item'))];
      if (kind === 'move' && !state.position.trim()) return [requiredError(`${prefix}-position`, t('council.position'))];
      return [];
    },
    send: async () => {
      const body =
        kind === 'add'
          ? { kind, item: { ...itemBody({ ...state, position: '' }) }, ...(state.position.trim() ? { position: Number(state.position) } : {}) }
          : kind === 'withdraw'
            ? { kind, item_id: chosen }
            : { kind, item_id: chosen, position: Number(state.position) };
      const vote = await council.proposeChange(view.id, body);
      setState({ title: '', rapporteur: '', draft: '', majority: majorityChoice(null), position: '' });
      onChanged(null, t('council.vote_opened_notice', { title: voteTitle(vote) }));
    },
    fields: { ...itemFieldMap(prefix), item_id: ['change-which', t('council.agenda_item')], kind: ['change-kind-add', t('council.change_kind')] },
  });

  return (
    <div class="agenda-form">
      <h3 id="propose-change-title">{t('council.propose_change')}</h3>
      <p class="muted">{t('council.propose_change_hint')}</p>
      <form class="form" onSubmit={submit} noValidate aria-labelledby="propose-change-title" id="propose-change-form">
        <ErrorSummary failure={form.failure} />
        <fieldset class="fieldset">
          <legend>{t('council.change_kind')}</legend>
          <ul class="checkboxes checkboxes--row">
            {(['add', 'withdraw', 'move'] as AgendaChangeKind[]).map((k) => (
              <li class="checkbox" key={k}>
                <input type="radio" name="change-kind" id={`change-kind-${k}`} checked={kind === k} disabled={k !== 'add' && open.length === 0} onChange={() => setKind(k)} />
                <label for={`change-kind-${k}`}>{t(`council.change_kind.${k}`)}</label>
              </li>
            ))}
          </ul>
        </fieldset>
        {kind === 'add' ? (
          <ItemFields prefix={prefix} state={state} set={set} errorFor={form.errorFor} view={view} />
        ) : (
          <>
            <SelectField
              id="change-which"
              label={t('council.agenda_item')}
              error={form.errorFor('change-which')}
              value={chosen}
              onValue={setItemId}
              options={open.map((i) => ({ value: i.id, label: `${i.position}. ${i.title}` }))}
            />
            {kind === 'move' && (
              <TextField
                id={`${prefix}-position`}
                type="number"
                label={t('council.new_position')}
                error={form.errorFor(`${prefix}-position`)}
                value={state.position}
                onValue={(position) => set({ position })}
                min={1}
                class="input--short"
              />
            )}
          </>
        )}
        <button type="submit" class="button" disabled={form.busy} id="propose-change-submit">
          {t('council.propose_change_submit')}
        </button>
      </form>
    </div>
  );
}
