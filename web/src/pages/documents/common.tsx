// Pieces the documents pages share: icons, breadcrumbs, the rename and delete dialogs, the
// list of recent activity, and a notice carried from one page to the next.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { api } from '../../lib/api';
import { fileKind, nodeHref, type FileKind } from '../../lib/documents';
import { failureFrom, requiredError, type FormFailure } from '../../lib/forms';
import { formatDateTime, t, tMaybe } from '../../lib/i18n';
import { Link } from '../../lib/router';
import { createStore } from '../../lib/store';
import type { DocActivity, DocNode, DocNodeDetail } from '../../lib/types';
import { useForm } from '../../lib/useForm';

/** A sentence to show on the next documents page (after deleting the file one was looking at…). */
export const docsFlash = createStore<string | null>(null);

/** Takes the carried-over notice once. */
export function useFlash(): string | null {
  const [text] = useState(() => {
    const value = docsFlash.get();
    docsFlash.set(null);
    return value;
  });
  return text;
}

/** `{name}` placeholders filled with elements (links) instead of text. */
export function fillParts(template: string, parts: Record<string, ComponentChildren>): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  const re = /\{(\w+)\}/g;
  let last = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(template))) {
    if (match.index > last) out.push(template.slice(last, match.index));
    const key = match[1]!;
    out.push(key in parts ? parts[key] : match[0]);
    last = match.index + match[0].length;
  }
  if (last < template.length) out.push(template.slice(last));
  return out;
}

const ICONS: Record<FileKind, string> = {
  folder: 'M3 7a2 2 0 0 1 2-2h5l2 2h7a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z',
  pdf: 'M6 2h8l5 5v13a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V8h4.5M7 13h2.5a1.5 1.5 0 0 1 0 3H7v-3zm0 3v2m6-5v5h1a2.5 2.5 0 0 0 0-5zm5 0h-2.5v5m0-2.5H18',
  image: 'M4 4h16v16H4zM4 16l5-5 4 4 2-2 5 5M15.5 9.5a1.5 1.5 0 1 0 0-.01',
  text: 'M6 2h8l5 5v13a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V8h4.5M8 12h8M8 15h8M8 18h5',
  document: 'M6 2h8l5 5v13a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V8h4.5M8 12l1.5 6 2.5-5 2.5 5 1.5-6',
  spreadsheet: 'M6 2h8l5 5v13a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V8h4.5M8 11h8v7H8zm0 3.5h8M12 11v7',
  presentation: 'M6 2h8l5 5v13a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V8h4.5M8 11h8v5H8zm4 5v3',
  archive: 'M6 2h8l5 5v13a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V8h4.5M11 4v2m0 2v2m0 2v2m-1 1h2v3h-2z',
  file: 'M6 2h8l5 5v13a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V8h4.5',
};

/** The icon of a node's kind (decorative: the kind is also written next to it). */
export function NodeIcon({ node }: { node: Pick<DocNode, 'kind' | 'content_type' | 'name'> }) {
  const kind = fileKind(node);
  return (
    <svg class={`doc-icon doc-icon--${kind}`} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={ICONS[kind]} />
    </svg>
  );
}

/** The folder's own name; a space's root folder is called like the space. */
export function displayName(node: DocNodeDetail): string {
  return node.parent_id === null ? node.space.name || node.name : node.name;
}

/** Documents › ancestors › this node (the last one is the current page). */
export function Breadcrumbs({ node }: { node: DocNodeDetail }) {
  const ancestors = (node.path ?? []).filter((p) => p.id !== node.id);
  return (
    <nav class="breadcrumbs" aria-label={t('docs.breadcrumbs')}>
      <ol>
        <li>
          <Link href="/documents">{t('docs.title')}</Link>
        </li>
        {ancestors.map((p, i) => (
          <li key={p.id}>
            <Link href={nodeHref(p.id)}>{i === 0 ? node.space.name || p.name : p.name}</Link>
          </li>
        ))}
        <li>
          <span aria-current="page">{displayName(node)}</span>
        </li>
      </ol>
    </nav>
  );
}

/** Who last changed a node, when. */
export function Modified({ node }: { node: Pick<DocNode, 'updated_at' | 'updated_by'> }) {
  return (
    <>
      <time dateTime={node.updated_at}>{formatDateTime(node.updated_at)}</time>
      {node.updated_by && <span class="table__sub">{t('docs.by', { name: node.updated_by.display_name })}</span>}
    </>
  );
}

/** Recent changes in the spaces this person can see. */
export function ActivityList({ items }: { items: DocActivity[] }) {
  return (
    <ol class="activity">
      {items.map((a) => {
        const template = tMaybe(`docs.activity.${a.action}`) ?? t('docs.activity.other');
        const name =
          a.action === 'deleted' ? <strong>{a.name}</strong> : <Link href={nodeHref(a.node_id)}>{a.name}</Link>;
        return (
          <li key={a.id} class="activity__item">
            <span>
              {fillParts(template, {
                actor: a.actor?.display_name ?? t('audit.system'),
                name,
                space: a.space?.name ?? '',
              })}
            </span>
            <time class="activity__time" dateTime={a.at}>
              {formatDateTime(a.at)}
            </time>
          </li>
        );
      })}
    </ol>
  );
}

/** Asks for a new name; PATCH /documents/nodes/{id}. */
export function RenameDialog({
  node,
  onDone,
  onCancel,
}: {
  node: { id: string; name: string; kind: 'folder' | 'file' };
  onDone: (renamed: DocNode) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(node.name);
  const form = useForm();
  const submit = form.submitWith({
    check: () => (name.trim() ? [] : [requiredError('rename-name', t('docs.name'))]),
    send: async () => {
      const renamed = await api.patch<DocNode>(`/documents/nodes/${encodeURIComponent(node.id)}`, { name: name.trim() });
      onDone(renamed);
    },
    fields: { name: ['rename-name', t('docs.name')] },
  });
  useEffect(() => {
    // Select the name without the extension, ready to be typed over.
    const input = document.getElementById('rename-name') as HTMLInputElement | null;
    if (!input) return;
    const dot = node.kind === 'file' ? node.name.lastIndexOf('.') : -1;
    input.setSelectionRange(0, dot > 0 ? dot : node.name.length);
  }, []);
  return (
    <Dialog id="rename-dialog" title={t('docs.rename_title', { name: node.name })} onCancel={onCancel}>
      <form class="form" onSubmit={submit} noValidate>
        <ErrorSummary failure={form.failure} />
        <TextField
          id="rename-name"
          label={t('docs.new_name')}
          error={form.errorFor('rename-name')}
          value={name}
          onValue={setName}
          autocomplete="off"
          maxLength={255}
          required
          data-autofocus
        />
        <div class="button-row">
          <button type="submit" class="button" disabled={form.busy}>
            {t('docs.rename')}
          </button>
          <button type="button" class="button button--secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Confirms moving a node to the trash; DELETE /documents/nodes/{id}. */
export function DeleteDialog({
  node,
  onDone,
  onCancel,
}: {
  node: { id: string; name: string; kind: 'folder' | 'file' };
  onDone: () => void;
  onCancel: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const remove = async () => {
    setBusy(true);
    try {
      await api.delete(`/documents/nodes/${encodeURIComponent(node.id)}`);
      onDone();
    } catch (error) {
      setFailure(failureFrom(error));
      setBusy(false);
    }
  };
  return (
    <Dialog id="delete-dialog" title={t('docs.delete_title')} describedBy="delete-dialog-text" onCancel={onCancel}>
      <ErrorSummary failure={failure} />
      <p id="delete-dialog-text">
        {t(node.kind === 'folder' ? 'docs.delete_confirm_folder' : 'docs.delete_confirm', { name: node.name })}
      </p>
      <div class="button-row">
        <button type="button" class="button button--danger" disabled={busy} onClick={() => void remove()}>
          {t('docs.delete')}
        </button>
        <button type="button" class="button button--secondary" data-autofocus onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

/** A polite region that is always in the page, so that what appears in it is announced. */
export function StatusSlot({ children, id }: { children?: ComponentChildren; id?: string }) {
  return (
    <div role="status" class="status-slot" id={id}>
      {children ? <div class="notice">{children}</div> : null}
    </div>
  );
}
