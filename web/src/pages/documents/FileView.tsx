// One file: what it is, a preview (PDF, image, plain text), download, versions (with restore),
// a new version, rename, delete, and — with the right to manage it — sharing, links and hold.
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageTitle } from '../../components/Layout';
import { api } from '../../lib/api';
import { canEdit, docPaths, fileKind, fileKindLabel, formatBytes, nodeHref, previewKind, rightLabel } from '../../lib/documents';
import { failureFrom, type FormFailure } from '../../lib/forms';
import { formatDateTime, formatNumber, t } from '../../lib/i18n';
import { navigate } from '../../lib/router';
import type { DocNode, DocNodeDetail, DocVersion } from '../../lib/types';
import { Breadcrumbs, DeleteDialog, docsFlash, NodeIcon, RenameDialog, StatusSlot } from './common';
import { HoldPanel, LinksPanel, SharesPanel } from './Sharing';
import { Uploader } from './Uploader';

interface FileViewProps {
  node: DocNodeDetail;
  setNode: (node: DocNodeDetail) => void;
  reload: () => Promise<void>;
}

export function FileView({ node, setNode, reload }: FileViewProps) {
  const [notice, setNotice] = useState('');
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [versionsKey, setVersionsKey] = useState(0);
  const editable = canEdit(node.right);
  const manage = node.right === 'manage';
  const kind = fileKind(node);
  const preview = previewKind(node);

  /** A changed node from the server, keeping the path and space this page already has. */
  const merge = (changed: DocNode) => setNode({ ...node, ...changed, path: node.path, space: node.space });

  const afterDelete = () => {
    setDeleting(false);
    docsFlash.set(t('docs.deleted', { name: node.name }));
    navigate(node.parent_id ? nodeHref(node.parent_id) : '/documents');
  };

  return (
    <>
      <Breadcrumbs node={node} />
      <PageTitle title={node.name}>
        <span class="doc-title">
          <NodeIcon node={node} />
          <span>{node.name}</span>
        </span>
      </PageTitle>
      <p class="muted doc-meta">
        {fileKindLabel(kind)} · {formatBytes(node.size)} · {t('docs.your_right', { right: rightLabel(node.right) })}
        {node.legal_hold && <span class="badge badge--pending">{t('docs.hold.badge')}</span>}
      </p>
      <StatusSlot>{notice}</StatusSlot>
      <div class="button-row doc-actions">
        <a class="button" href={docPaths.content(node.id)} download={node.name}>
          {t('docs.download')}
        </a>
        {editable && (
          <>
            <button type="button" class="button button--secondary" onClick={() => (setNotice(''), setRenaming(true))}>
              {t('docs.rename')}
            </button>
            <button
              type="button"
              class="button button--secondary"
              disabled={node.legal_hold}
              aria-describedby={node.legal_hold ? 'hold-blocks-delete' : undefined}
              onClick={() => (setNotice(''), setDeleting(true))}
            >
              {t('docs.delete')}
            </button>
          </>
        )}
      </div>
      {node.legal_hold && (
        <p class="muted" id="hold-blocks-delete">
          {t('docs.hold.blocks_delete')}
        </p>
      )}
      <div class="stack doc-file">
        <section class="card" aria-labelledby="file-details-title">
          <h2 id="file-details-title">{t('docs.details')}</h2>
          <dl class="doc-facts">
            <div>
              <dt>{t('docs.type')}</dt>
              <dd>
                {fileKindLabel(kind)}
                {node.content_type && <code class="table__sub">{node.content_type}</code>}
              </dd>
            </div>
            <div>
              <dt>{t('docs.size')}</dt>
              <dd>
                <span>{formatBytes(node.size)}</span>
                <span class="table__sub">{t('docs.bytes', { n: formatNumber(node.size) })}</span>
              </dd>
            </div>
            <div>
              <dt>{t('docs.version')}</dt>
              <dd>{formatNumber(node.version)}</dd>
            </div>
            <div>
              <dt>{t('docs.modified')}</dt>
              <dd>
                <time dateTime={node.updated_at}>{formatDateTime(node.updated_at)}</time>
                {node.updated_by && <span class="table__sub">{t('docs.by', { name: node.updated_by.display_name })}</span>}
              </dd>
            </div>
            <div>
              <dt>{t('docs.created')}</dt>
              <dd>
                <time dateTime={node.created_at}>{formatDateTime(node.created_at)}</time>
              </dd>
            </div>
            <div class="doc-facts__wide">
              <dt id="fingerprint-label">{t('docs.fingerprint')}</dt>
              <dd>
                <code class="fingerprint" data-testid="fingerprint">
                  {node.fingerprint || node.sha256}
                </code>
                <span class="table__sub">{t('docs.fingerprint_hint')}</span>
              </dd>
            </div>
          </dl>
        </section>

        {preview && (
          <section class="card" aria-labelledby="preview-title">
            <h2 id="preview-title">{t('docs.preview')}</h2>
            {preview === 'image' ? (
              <img
                class="doc-preview doc-preview--image"
                src={docPaths.content(node.id, { inline: true, version: node.version })}
                alt={node.name}
              />
            ) : preview === 'text' ? (
              <TextPreview node={node} />
            ) : (
              <iframe
                class={`doc-preview doc-preview--${preview}`}
                src={docPaths.content(node.id, { inline: true, version: node.version })}
                title={t('docs.preview_of', { name: node.name })}
              />
            )}
            <p class="muted">
              {t('docs.preview_hint')}{' '}
              <a href={docPaths.content(node.id, { inline: true })} target="_blank" rel="noopener">
                {t('docs.open_new_tab')}
              </a>
            </p>
          </section>
        )}

        <Versions
          node={node}
          reloadKey={versionsKey}
          onRestored={(changed, from) => {
            merge(changed);
            setVersionsKey((k) => k + 1);
            setNotice(t('docs.versions.restored', { from: formatNumber(from), version: formatNumber(changed.version) }));
          }}
        />

        {editable && node.parent_id && (
          <section class="card" aria-labelledby="new-version-title">
            <h2 id="new-version-title">{t('docs.new_version')}</h2>
            <Uploader
              id="new-version"
              folderId={node.parent_id}
              fixedName={node.name}
              label={t('docs.new_version_choose')}
              hint={t('docs.new_version_hint', { name: node.name })}
              onUploaded={() => {
                setVersionsKey((k) => k + 1);
                void reload();
              }}
            />
          </section>
        )}

        {manage && (
          <section class="card" aria-labelledby="shares-title">
            <h2 id="shares-title">{t('docs.shares.title')}</h2>
            <SharesPanel nodeId={node.id} />
          </section>
        )}
        {manage && (
          <section class="card" aria-labelledby="links-title">
            <h2 id="links-title">{t('docs.links.title')}</h2>
            <p class="muted">{t('docs.links.intro')}</p>
            <LinksPanel node={node} />
          </section>
        )}
        {manage && (
          <section class="card" aria-labelledby="hold-title">
            <h2 id="hold-title">{t('docs.hold.title')}</h2>
            <HoldPanel node={node} onChanged={merge} />
          </section>
        )}
      </div>
      {renaming && (
        <RenameDialog
          node={node}
          onDone={(renamed) => {
            setRenaming(false);
            merge(renamed);
            setNotice(t('docs.renamed', { name: renamed.name }));
          }}
          onCancel={() => setRenaming(false)}
        />
      )}
      {deleting && <DeleteDialog node={node} onDone={afterDelete} onCancel={() => setDeleting(false)} />}
    </>
  );
}

/** Plain text is shown in the page itself (read as UTF-8), the first part of a long file. */
const TEXT_PREVIEW_BYTES = 256 * 1024;

function TextPreview({ node }: { node: DocNode }) {
  const [text, setText] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setText(null);
    setFailed(false);
    fetch(docPaths.content(node.id, { inline: true, version: node.version }), {
      credentials: 'same-origin',
      headers: { Range: `bytes=0-${TEXT_PREVIEW_BYTES - 1}` },
    })
      .then(async (r) => {
        if (!r.ok) throw new Error(String(r.status));
        const bytes = new Uint8Array(await r.arrayBuffer()).subarray(0, TEXT_PREVIEW_BYTES);
        if (live) setText(new TextDecoder('utf-8').decode(bytes));
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [node.id, node.version]);
  if (failed) return <p>{t('docs.preview_failed')}</p>;
  if (text === null) return <p>{t('common.loading')}</p>;
  return (
    <>
      <pre class="doc-preview doc-preview--text" tabIndex={0} role="region" aria-label={t('docs.preview_of', { name: node.name })}>
        {text}
      </pre>
      {node.size > TEXT_PREVIEW_BYTES && <p class="muted">{t('docs.preview_partial')}</p>}
    </>
  );
}

function Versions({
  node,
  reloadKey,
  onRestored,
}: {
  node: DocNode;
  reloadKey: number;
  onRestored: (node: DocNode, from: number) => void;
}) {
  const [versions, setVersions] = useState<DocVersion[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    api
      .get<{ items: DocVersion[] }>(`/documents/nodes/${encodeURIComponent(node.id)}/versions`)
      .then((page) => {
        if (!live) return;
        setVersions([...page.items].sort((a, b) => b.number - a.number));
        setFailure(null);
      })
      .catch((error) => live && setFailure(failureFrom(error)));
    return () => {
      live = false;
    };
  }, [node.id, reloadKey, node.version]);

  const current = versions && versions.length ? versions[0]!.number : node.version;

  const restore = async (v: DocVersion) => {
    setBusy(v.number);
    try {
      const changed = await api.post<DocNode>(
        `/documents/nodes/${encodeURIComponent(node.id)}/versions/${v.number}/restore`,
      );
      onRestored(changed, v.number);
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="card" aria-labelledby="versions-title">
      <h2 id="versions-title">{t('docs.versions.title')}</h2>
      <ErrorSummary failure={failure} />
      <p class="muted" role="status">
        {versions ? t('docs.versions.count', { count: formatNumber(versions.length) }) : failure ? '' : t('common.loading')}
      </p>
      {versions && versions.length > 0 && (
        <div class="table-wrap" role="region" aria-labelledby="versions-title" tabIndex={0}>
          <table class="table" id="versions-table">
            <caption class="visually-hidden">{t('docs.versions.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('docs.versions.number')}</th>
                <th scope="col">{t('docs.versions.date')}</th>
                <th scope="col">{t('docs.versions.who')}</th>
                <th scope="col">{t('docs.size')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.number} data-version={v.number}>
                  <th scope="row">
                    {formatNumber(v.number)}
                    {v.number === current && <span class="badge badge--active">{t('docs.versions.current')}</span>}
                    {v.restored_from !== null && v.restored_from !== undefined && (
                      <span class="table__sub">{t('docs.versions.restored_from', { n: formatNumber(v.restored_from) })}</span>
                    )}
                  </th>
                  <td>
                    <time dateTime={v.created_at}>{formatDateTime(v.created_at)}</time>
                  </td>
                  <td>{v.created_by?.display_name ?? '—'}</td>
                  <td>{formatBytes(v.size)}</td>
                  <td>
                    <div class="table__buttons">
                      <a
                        class="button button--small button--secondary"
                        href={docPaths.content(node.id, { version: v.number })}
                        download={node.name}
                      >
                        {t('docs.download')}
                        <span class="visually-hidden"> — {t('docs.versions.version_n', { n: formatNumber(v.number) })}</span>
                      </a>
                      {v.number !== current && canEdit(node.right) && (
                        <button
                          type="button"
                          class="button button--small button--secondary"
                          disabled={busy !== null}
                          onClick={() => void restore(v)}
                        >
                          {t('docs.versions.restore')}
                          <span class="visually-hidden"> — {t('docs.versions.version_n', { n: formatNumber(v.number) })}</span>
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
