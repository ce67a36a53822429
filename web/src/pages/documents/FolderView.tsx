// A folder: breadcrumbs, its contents, new folder, upload, rename, delete, sharing; the
// listing follows changes made by others in real time (topic `documents:<folder id>`).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { PagedTable, usePagedList } from '../../components/PagedTable';
import { api, query } from '../../lib/api';
import { canEdit, docPaths, fileKind, fileKindLabel, formatBytes, nodeHref, rightLabel } from '../../lib/documents';
import { requiredError } from '../../lib/forms';
import { t, tPlural } from '../../lib/i18n';
import { watch } from '../../lib/realtime';
import { Link } from '../../lib/router';
import { sessionStore } from '../../lib/session';
import type { DocNode, DocNodeDetail } from '../../lib/types';
import { useForm } from '../../lib/useForm';
import {
  Breadcrumbs, DeleteDialog, displayName, Modified, NodeIcon, RenameDialog, StatusSlot, useFlash,
} from './common';
import { SharesPanel } from './Sharing';
import { Uploader } from './Uploader';

export function FolderView({ node, reload }: { node: DocNodeDetail; reload: () => Promise<void> }) {
  const flash = useFlash();
  const [notice, setNoticeState] = useState<{ text: string; trash: boolean } | null>(flash ? { text: flash, trash: true } : null);
  const setNotice = (text: string, trash = false) => setNoticeState(text ? { text, trash } : null);
  const [live, setLive] = useState('');
  const [reloadKey, setReloadKey] = useState(0);
  const [renaming, setRenaming] = useState<DocNode | null>(null);
  const [deleting, setDeleting] = useState<DocNode | null>(null);
  const editable = canEdit(node.right);
  const name = displayName(node);
  const me = sessionStore.get()?.person;
  /** The event's actor (a name, or {id, display_name}) is the person using this page. */
  const byMe = (actor: unknown) =>
    !!me &&
    (typeof actor === 'string'
      ? actor === me.display_name
      : !!actor && typeof actor === 'object' && String((actor as { id?: unknown }).id) === me.id);

  const list = usePagedList<DocNode>(
    (cursor) => `${docPaths.children(node.id)}${query({ limit: 100, cursor })}`,
    [node.id, reloadKey],
  );
  const refresh = () => setReloadKey((k) => k + 1);

  // Changes by anyone (another tab, a colleague): re-read the listing, and say what arrived.
  const refreshTimer = useRef<number | undefined>(undefined);
  useEffect(() => {
    const later = () => {
      window.clearTimeout(refreshTimer.current);
      refreshTimer.current = window.setTimeout(refresh, 250);
    };
    const stop = watch(
      `documents:${node.id}`,
      (event) => {
        if (event.event !== 'documents.changed') return;
        later();
        const data = event.data;
        if (data.action === 'uploaded' && !byMe(data.actor)) {
          setLive(
            t('docs.live.uploaded', {
              space: typeof data.space_name === 'string' && data.space_name ? data.space_name : node.space.name,
              name: typeof data.name === 'string' ? data.name : '',
            }),
          );
        }
      },
      later,
    );
    return () => {
      stop();
      window.clearTimeout(refreshTimer.current);
    };
  }, [node.id]);

  const afterRename = (renamed: DocNode) => {
    setRenaming(null);
    list.setItems((old) => old.map((x) => (x.id === renamed.id ? { ...x, ...renamed } : x)));
    setNotice(t('docs.renamed', { name: renamed.name }));
  };

  const afterDelete = () => {
    const gone = deleting!;
    setDeleting(null);
    list.setItems((old) => old.filter((x) => x.id !== gone.id));
    setNotice(t('docs.deleted', { name: gone.name }), true);
    requestAnimationFrame(() => document.getElementById('folder-list-title')?.focus());
  };

  return (
    <>
      <Breadcrumbs node={node} />
      <PageTitle title={name} />
      <p class="muted doc-meta">
        {t('docs.in_space', { space: node.space.name })} · {t('docs.your_right', { right: rightLabel(node.right) })}
      </p>
      <StatusSlot>
        {notice && (
          <>
            {notice.text}
            {notice.trash && (
              <>
                {' '}
                <Link href="/documents/trash">{t('docs.open_trash')}</Link>
              </>
            )}
          </>
        )}
      </StatusSlot>
      <div role="status" aria-live="polite" class="live-notice" id="documents-live">
        {live && <div class="notice notice--info">{live}</div>}
      </div>
      <div class="stack">
        <section class="card" aria-labelledby="folder-list-title">
          <h2 id="folder-list-title" tabIndex={-1}>
            {t('docs.contents')}
          </h2>
          <PagedTable
            list={list}
            labelledBy="folder-list-title"
            tableId="folder-table"
            tableClass="table--stack"
            caption={t('docs.contents_of', { name })}
            columns={[t('docs.name'), t('docs.size'), t('docs.modified'), t('common.actions')]}
            count={(n) => tPlural('docs.count', n)}
            empty={t('docs.empty_folder')}
            row={(child) => (
              <tr key={child.id} data-node-id={child.id}>
                <th scope="row" class="doc-name">
                  <span class="doc-name__line">
                    <NodeIcon node={child} />
                    <Link href={nodeHref(child.id)}>{child.name}</Link>
                  </span>
                  <span class="table__sub">
                    {fileKindLabel(fileKind(child))}
                    {child.legal_hold && <span class="badge badge--pending">{t('docs.hold.badge')}</span>}
                  </span>
                </th>
                <td class="doc-size">{child.kind === 'folder' ? '—' : formatBytes(child.size)}</td>
                <td>
                  <Modified node={child} />
                </td>
                <td>
                  <div class="table__buttons">
                    {child.kind === 'file' && (
                      <a class="button button--small button--secondary" href={docPaths.content(child.id)} download={child.name}>
                        {t('docs.download')}
                        <span class="visually-hidden"> — {child.name}</span>
                      </a>
                    )}
                    {canEdit(child.right) && (
                      <>
                        <button
                          type="button"
                          class="button button--small button--secondary"
                          onClick={() => (setNotice(''), setRenaming(child))}
                        >
                          {t('docs.rename')}
                          <span class="visually-hidden"> — {child.name}</span>
                        </button>
                        <button
                          type="button"
                          class="button button--small button--secondary"
                          disabled={child.legal_hold}
                          onClick={() => (setNotice(''), setDeleting(child))}
                        >
                          {t('docs.delete')}
                          <span class="visually-hidden"> — {child.name}</span>
                        </button>
                      </>
                    )}
                  </div>
                </td>
              </tr>
            )}
          />
        </section>
        {editable && (
          <section class="card" aria-labelledby="upload-title">
            <h2 id="upload-title">{t('docs.upload.title')}</h2>
            <Uploader
              key={node.id}
              id="upload"
              folderId={node.id}
              label={t('docs.upload.choose')}
              hint={t('docs.upload.hint')}
              onUploaded={() => {
                refresh();
                void reload();
              }}
            />
          </section>
        )}
        {editable && <NewFolder parentId={node.id} onCreated={(folder) => (setNotice(t('docs.folder_created', { name: folder.name })), refresh())} />}
        {node.right === 'manage' && (
          <section class="card" aria-labelledby="shares-title">
            <h2 id="shares-title">{t('docs.shares.title')}</h2>
            <p class="muted">{t('docs.shares.folder_intro')}</p>
            <SharesPanel nodeId={node.id} />
          </section>
        )}
      </div>
      {renaming && <RenameDialog node={renaming} onDone={afterRename} onCancel={() => setRenaming(null)} />}
      {deleting && <DeleteDialog node={deleting} onDone={afterDelete} onCancel={() => setDeleting(null)} />}
    </>
  );
}

function NewFolder({ parentId, onCreated }: { parentId: string; onCreated: (folder: DocNode) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const form = useForm();
  const toggleRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open) document.getElementById('folder-name')?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    form.setFailure(null);
    requestAnimationFrame(() => toggleRef.current?.focus());
  };

  const submit = form.submitWith({
    check: () => (name.trim() ? [] : [requiredError('folder-name', t('docs.folder_name'))]),
    send: async () => {
      const folder = await api.post<DocNode>(`/documents/nodes/${encodeURIComponent(parentId)}/folders`, { name: name.trim() });
      setName('');
      close();
      onCreated(folder);
    },
    fields: { name: ['folder-name', t('docs.folder_name')] },
  });

  return (
    <section class="card" aria-labelledby="new-folder-title">
      <h2 id="new-folder-title">{t('docs.new_folder')}</h2>
      {!open && (
        <button
          ref={toggleRef}
          type="button"
          class="button button--secondary"
          aria-expanded="false"
          aria-controls="new-folder-form"
          onClick={() => setOpen(true)}
        >
          {t('docs.new_folder')}
        </button>
      )}
      {open && (
        <form class="form" id="new-folder-form" onSubmit={submit} noValidate>
          <ErrorSummary failure={form.failure} />
          <TextField
            id="folder-name"
            label={t('docs.folder_name')}
            error={form.errorFor('folder-name')}
            value={name}
            onValue={setName}
            autocomplete="off"
            maxLength={255}
            required
          />
          <div class="button-row">
            <button type="submit" class="button" disabled={form.busy}>
              {t('docs.create_folder')}
            </button>
            <button type="button" class="button button--secondary" onClick={close}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
