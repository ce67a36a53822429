// Documents: the administrator makes a folder with a Cyrillic name in the personal space,
// uploads a Bulgarian text file and a PDF (progress to the end, both listed) and a 9 MiB file
// through the resumable API that carries on after a chunk is cut off; sees the PDF's preview
// and fingerprint, uploads the text again as version 2, renames, deletes to the trash and
// restores, places and lifts a legal hold, searches, shares the folder with a colleague whose
// upload appears live (polite notice + listing), and makes guest links (with and without a
// password) that a browser with no session opens and downloads from; a revoked link says so.
// Every page is checked with axe-core in Bulgarian and English, the folder and the file page
// at 360 px.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import {
  activateAdministrator, activateByApi, bg, dict, expectAccessible, login, openPage, PHONE, useServerAndBrowser,
  waitForPath,
  escapeRe, fill, scrollWidth,
} from './harness.mjs';

const setup = useServerAndBrowser();
const en = dict.en;
const pl = dict.pl;

const FOLDER = 'Протоколи и решения 2026';
const TEXT_NAME = 'бележка.txt';
const TEXT_V1 = 'Заседанието на общинския съвет започва в 9:00 ч.\nДневен ред: бюджет, транспорт.\n';
const TEXT_V2 = `${TEXT_V1}Допълнение: точка 3 — читалища.\n`;
const PDF_NAME = 'решение-42.pdf';
const RENAMED = 'бележка-окончателна.txt';
const BIG_NAME = 'запис-от-сесията.bin';
const LINK_PASSWORD = 'Габрово-2026-връзка';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** A minimal valid one-page PDF (correct cross-reference offsets) saying `text`. */
function minimalPdf(text) {
  const content = `BT /F1 18 Tf 24 60 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 320 140] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Clicks what starts a download and returns the downloaded bytes. */
async function download(page, trigger) {
  const [dl] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
  const failure = await dl.failure();
  assert.equal(failure, null, `download of ${dl.suggestedFilename()} failed: ${failure}`);
  return readFile(await dl.path());
}

/** A row of a table whose row header contains a link or text `name`. */
const rowOf = (page, tableId, name) =>
  page.locator(`#${tableId} tbody tr`).filter({ has: page.getByRole('rowheader', { name: new RegExp(escapeRe(name)) }) });

/** Waits until every upload in the list has finished and returns their states. */
async function uploadsSettle(page, count) {
  await page.waitForFunction(
    (n) => {
      const items = [...document.querySelectorAll('.upload')];
      return items.length >= n && items.every((li) => ['done', 'failed', 'cancelled'].includes(li.dataset.uploadState));
    },
    count,
    { timeout: 60_000 },
  );
  return page.locator('.upload').evaluateAll((items) =>
    items.map((li) => ({
      state: li.dataset.uploadState,
      name: li.querySelector('.upload__name')?.textContent,
      value: li.querySelector('progress')?.value,
      text: li.querySelector('.upload__state')?.textContent,
    })),
  );
}

test('documents: folders, uploads, versions, trash, sharing, live news, guest links', { timeout: 900_000 }, async () => {
  const { baseUrl } = setup.server;
  const pdf = minimalPdf('Reshenie 42 - Gabrovo');
  const admin = await openPage(setup.browser);
  const a = admin.page;
  await activateAdministrator(a, setup.server);

  // ------------------------------------------------------------ Documents home (bg)
  const nav = a.getByRole('navigation', { name: bg['nav.label'] });
  await nav.getByRole('link', { name: bg['nav.documents'] }).click();
  await waitForPath(a, '/documents');
  await a.getByRole('heading', { level: 1, name: bg['docs.title'] }).waitFor();
  assert.equal(await nav.getByRole('link', { name: bg['nav.documents'] }).getAttribute('aria-current'), 'page');
  const spaces = a.locator('.doc-spaces > li');
  await spaces.first().waitFor();
  assert.match(await spaces.first().textContent(), new RegExp(escapeRe(bg['docs.space_kind.personal'])), 'the personal space comes first');
  await a.getByRole('heading', { name: bg['docs.shared'] }).waitFor();
  await a.getByRole('heading', { name: bg['docs.activity.title'] }).waitFor();
  await a.getByRole('search', { name: bg['docs.search.label'] }).waitFor();
  await expectAccessible(a, 'documents home (bg)');

  // ------------------------------------------------------------ personal space → new folder
  await spaces.first().getByRole('link').click();
  await a.waitForURL((url) => url.pathname.startsWith('/documents/n/'));
  const rootPath = new URL(a.url()).pathname;
  await a.locator('#folder-table').or(a.getByText(bg['docs.empty_folder'])).first().waitFor();
  await a.getByRole('navigation', { name: bg['docs.breadcrumbs'] }).getByRole('link', { name: bg['docs.title'] }).waitFor();

  // An empty name is refused in the browser, on the field.
  await a.getByRole('button', { name: bg['docs.new_folder'] }).click();
  await a.locator('#folder-name').waitFor();
  await a.getByRole('button', { name: bg['docs.create_folder'] }).click();
  await a.getByRole('alert').getByText(bg['problem.validation']).waitFor();
  assert.equal(await a.locator('#folder-name').getAttribute('aria-invalid'), 'true');
  await expectAccessible(a, 'new folder form with an error');

  await a.locator('#folder-name').fill(FOLDER);
  await a.getByRole('button', { name: bg['docs.create_folder'] }).click();
  const folderLink = a.locator('#folder-table').getByRole('link', { name: FOLDER, exact: true });
  await folderLink.waitFor();
  await a.getByRole('status').filter({ hasText: fill(bg['docs.folder_created'], { name: FOLDER }) }).waitFor();
  await expectAccessible(a, 'personal space with the new folder (bg)');

  await folderLink.click();
  await a.getByRole('heading', { level: 1, name: FOLDER }).waitFor();
  const folderPath = new URL(a.url()).pathname;
  const folderId = decodeURIComponent(folderPath.split('/').pop());
  assert.notEqual(folderPath, rootPath);
  const crumbs = a.getByRole('navigation', { name: bg['docs.breadcrumbs'] });
  assert.equal(await crumbs.locator('[aria-current="page"]').textContent(), FOLDER);
  await a.getByText(bg['docs.empty_folder']).waitFor();

  // ------------------------------------------------------------ upload two files
  const input = a.getByLabel(bg['docs.upload.choose']);
  assert.equal(await input.getAttribute('multiple'), '', 'the file input takes several files');
  await a.locator('.dropzone').waitFor();
  await input.setInputFiles([
    { name: TEXT_NAME, mimeType: 'text/plain', buffer: Buffer.from(TEXT_V1, 'utf8') },
    { name: PDF_NAME, mimeType: 'application/pdf', buffer: pdf },
  ]);
  let uploads = await uploadsSettle(a, 2);
  assert.deepEqual(
    uploads.map((u) => [u.name, u.state, u.value, u.text]),
    [
      [TEXT_NAME, 'done', 100, bg['docs.upload.state_done']],
      [PDF_NAME, 'done', 100, bg['docs.upload.state_done']],
    ],
    'both uploads went to the end',
  );
  await a.getByRole('progressbar', { name: PDF_NAME }).waitFor();
  await a.getByRole('status').filter({ hasText: fill(bg['docs.upload.done'], { name: PDF_NAME }) }).waitFor();
  const textRow = rowOf(a, 'folder-table', TEXT_NAME);
  const pdfRow = rowOf(a, 'folder-table', PDF_NAME);
  await textRow.waitFor();
  await pdfRow.waitFor();
  await pdfRow.getByText(bg['docs.filekind.pdf']).waitFor();
  await textRow.getByText(fill(bg['docs.size.b'], { n: Buffer.byteLength(TEXT_V1) }), { exact: true }).waitFor();
  await expectAccessible(a, 'folder with two uploads (bg)');

  // A large file goes through the resumable upload API in chunks; the first chunk is cut off
  // on the way, and the upload carries on from what the server has.
  const big = Buffer.alloc(9 * 1024 * 1024 + 12_345);
  for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE((i * 2654435761) >>> 0, i);
  const seen = { cut: 0, patch: 0, status: 0 };
  await a.route('**/api/v1/documents/uploads/*', async (route) => {
    const method = route.request().method();
    if (method === 'PATCH' && seen.cut === 0) {
      seen.cut++;
      return route.abort('connectionreset');
    }
    if (method === 'PATCH') seen.patch++;
    if (method === 'GET') seen.status++;
    return route.continue();
  });
  await a.getByLabel(bg['docs.upload.choose']).setInputFiles([
    { name: BIG_NAME, mimeType: 'application/octet-stream', buffer: big },
  ]);
  uploads = await uploadsSettle(a, 1);
  await a.unroute('**/api/v1/documents/uploads/*');
  assert.deepEqual(uploads.map((u) => [u.name, u.state, u.value]), [[BIG_NAME, 'done', 100]], 'the large upload finished');
  assert.equal(seen.cut, 1, 'one chunk was cut off');
  assert.ok(seen.status >= 1, 'the upload asked the server where to continue');
  assert.ok(seen.patch >= 2, `the chunks were sent again and on (${seen.patch} PATCH requests)`);
  const bigRow = rowOf(a, 'folder-table', BIG_NAME);
  await bigRow.waitFor();
  const bigId = decodeURIComponent((await bigRow.getByRole('link', { name: BIG_NAME, exact: true }).getAttribute('href')).split('/').pop());
  const bigNode = await a.evaluate(async (nodeId) => (await fetch(`/api/v1/documents/nodes/${nodeId}`)).json(), bigId);
  assert.equal(bigNode.size, big.length, 'the server has every byte');
  assert.equal(bigNode.sha256, sha256(big), 'and the same bytes');

  // The phone: the folder fits 360 px.
  await a.setViewportSize(PHONE);
  await a.getByRole('button', { name: bg['layout.menu'] }).waitFor();
  assert.ok((await scrollWidth(a)) <= PHONE.width, `folder fits 360 px (scrollWidth ${await scrollWidth(a)})`);
  await expectAccessible(a, 'folder (phone, bg)');
  await a.setViewportSize({ width: 1280, height: 800 });

  // ------------------------------------------------------------ the PDF: details and preview
  await pdfRow.getByRole('link', { name: PDF_NAME, exact: true }).click();
  await a.getByRole('heading', { level: 1, name: PDF_NAME }).waitFor();
  const preview = a.locator(`iframe[title="${fill(bg['docs.preview_of'], { name: PDF_NAME })}"]`);
  await preview.waitFor();
  const previewSrc = await preview.getAttribute('src');
  assert.match(previewSrc, /\/content\?.*inline=1/, 'the preview shows the content inline');
  const inline = await a.evaluate(async (src) => {
    const r = await fetch(src);
    return { status: r.status, type: r.headers.get('content-type'), frame: r.headers.get('x-frame-options') };
  }, previewSrc);
  assert.equal(inline.status, 200, `inline content: ${inline.status}`);
  assert.match(inline.type ?? '', /^application\/pdf/);
  assert.notEqual((inline.frame ?? '').toUpperCase(), 'DENY', 'our own page may frame the preview');
  const fingerprint = (await a.getByTestId('fingerprint').textContent()).replace(/[^0-9a-f]/gi, '').toLowerCase();
  assert.ok(fingerprint.length >= 16 && sha256(pdf).startsWith(fingerprint), `the fingerprint (${fingerprint}) comes from the SHA-256 of what was uploaded`);
  await a.locator('#versions-table tbody tr').first().waitFor();
  assert.equal(await a.locator('#versions-table tbody tr').count(), 1, 'one version');
  const pdfBytes = await download(a, a.locator('.doc-actions').getByRole('link', { name: bg['docs.download'] }));
  assert.ok(pdfBytes.equals(pdf), 'the downloaded PDF is the uploaded one');
  await expectAccessible(a, 'PDF details with preview (bg)');

  await a.setViewportSize(PHONE);
  assert.ok((await scrollWidth(a)) <= PHONE.width, `file page fits 360 px (scrollWidth ${await scrollWidth(a)})`);
  await expectAccessible(a, 'PDF details (phone, bg)');
  await a.setViewportSize({ width: 1280, height: 800 });

  // Legal hold: placed with a reason, it blocks deleting; lifted again.
  const hold = a.locator('section').filter({ has: a.getByRole('heading', { name: bg['docs.hold.title'] }) });
  await hold.getByRole('button', { name: bg['docs.hold.place'] }).click();
  await hold.getByRole('alert').getByText(bg['problem.validation']).waitFor();
  await hold.getByLabel(bg['docs.hold.reason']).fill('Проверка от Сметната палата');
  await hold.getByRole('button', { name: bg['docs.hold.place'] }).click();
  await hold.getByText(bg['docs.hold.on']).waitFor();
  assert.equal(await a.locator('.doc-actions').getByRole('button', { name: bg['docs.delete'] }).isDisabled(), true, 'held: no delete');
  await expectAccessible(a, 'PDF under legal hold');
  await hold.getByRole('button', { name: bg['docs.hold.lift'] }).click();
  await hold.getByText(bg['docs.hold.off']).waitFor();
  assert.equal(await a.locator('.doc-actions').getByRole('button', { name: bg['docs.delete'] }).isDisabled(), false);

  // ------------------------------------------------------------ guest links
  const links = a.locator('section').filter({ has: a.getByRole('heading', { level: 2, name: bg['docs.links.title'] }) });
  await links.getByText(bg['docs.links.none']).waitFor();
  await links.getByRole('button', { name: bg['docs.links.submit'] }).click();
  const box = a.locator('#link-created');
  await box.waitFor();
  await box.getByText(bg['docs.links.created_once']).waitFor();
  await box.getByRole('button', { name: bg['docs.links.copy'] }).waitFor();
  const openLink = (await a.getByTestId('link-created-value').textContent()).trim();
  assert.match(openLink, new RegExp(`^${escapeRe(baseUrl)}/s/[^/]+$`), `the link is shown: ${openLink}`);
  await expectAccessible(a, 'guest link shown once (bg)');
  await box.getByRole('button', { name: bg['issued.done'] }).click();
  await box.waitFor({ state: 'detached' });

  // A link password shorter than 8 characters is refused on the field.
  await links.getByLabel(bg['docs.links.password']).fill('кратка');
  await links.getByRole('button', { name: bg['docs.links.submit'] }).click();
  await links.locator('#link-password-error').getByText(bg['docs.links.password_short']).waitFor();
  assert.equal(await links.locator('#link-password').getAttribute('aria-invalid'), 'true');
  await links.getByLabel(bg['docs.links.password']).fill(LINK_PASSWORD);
  await links.getByRole('button', { name: bg['docs.links.submit'] }).click();
  await box.waitFor();
  const lockedLink = (await a.getByTestId('link-created-value').textContent()).trim();
  assert.notEqual(lockedLink, openLink);
  await box.getByRole('button', { name: bg['issued.done'] }).click();
  await links.locator('#links-table tbody tr').nth(1).waitFor();
  assert.equal(await links.locator('#links-table tbody tr').count(), 2);

  // A browser with no session opens the link and downloads.
  const guest = await openPage(setup.browser);
  const g = guest.page;
  await g.goto(openLink);
  await g.getByRole('heading', { level: 1, name: PDF_NAME }).waitFor();
  await g.getByText(fill(bg['docs.size.b'], { n: pdf.length }), { exact: true }).waitFor();
  const guestButton = g.getByRole('link', { name: fill(bg['docs.public.download'], { name: PDF_NAME }) });
  await expectAccessible(g, 'guest link page (bg)');
  assert.ok((await download(g, guestButton)).equals(pdf), 'the guest downloads the PDF');

  // With a password: a wrong one is refused, the right one gives the download.
  await g.goto(lockedLink);
  await g.getByRole('heading', { level: 2, name: bg['docs.public.protected'] }).waitFor();
  await g.getByLabel(bg['docs.public.password'], { exact: true }).fill('не е тази');
  await g.getByRole('button', { name: bg['docs.public.unlock'] }).click();
  await g.getByRole('alert').getByText(bg['docs.public.wrong_password']).first().waitFor();
  assert.equal(await g.getByLabel(bg['docs.public.password'], { exact: true }).getAttribute('aria-invalid'), 'true');
  await expectAccessible(g, 'guest link, wrong password (bg)');
  await g.getByLabel(bg['docs.public.password'], { exact: true }).fill(LINK_PASSWORD);
  await g.getByRole('button', { name: bg['docs.public.unlock'] }).click();
  await g.getByText(bg['docs.public.unlocked']).waitFor();
  assert.ok((await download(g, guestButton)).equals(pdf), 'the guest downloads the PDF after the password');

  // The administrator revokes the open link: the guest is told it no longer works.
  const openRow = links
    .locator('#links-table tbody tr')
    .filter({ has: a.locator('td').getByText(bg['docs.links.without_password'], { exact: true }) });
  await openRow.getByRole('button', { name: new RegExp(escapeRe(bg['docs.links.revoke'])) }).click();
  const revokeDialog = a.getByRole('dialog', { name: bg['docs.links.revoke_title'] });
  await revokeDialog.waitFor();
  await expectAccessible(a, 'revoke link dialog');
  await revokeDialog.getByRole('button', { name: bg['docs.links.revoke'] }).click();
  await revokeDialog.waitFor({ state: 'detached' });
  await a.getByRole('status').filter({ hasText: bg['docs.links.revoked'] }).waitFor();
  assert.equal(await links.locator('#links-table tbody tr').count(), 1);
  await g.goto(openLink);
  await g.getByRole('heading', { level: 1, name: bg['docs.public.gone_title'] }).waitFor();
  await expectAccessible(g, 'revoked guest link (bg)');
  g.assertClean();

  // ------------------------------------------------------------ version 2 of the text file
  await a.getByRole('navigation', { name: bg['docs.breadcrumbs'] }).getByRole('link', { name: FOLDER, exact: true }).click();
  await a.getByRole('heading', { level: 1, name: FOLDER }).waitFor();
  await a.getByLabel(bg['docs.upload.choose']).setInputFiles([
    { name: TEXT_NAME, mimeType: 'text/plain', buffer: Buffer.from(TEXT_V2, 'utf8') },
  ]);
  uploads = await uploadsSettle(a, 1);
  assert.deepEqual(
    uploads.map((u) => [u.name, u.state, u.text]),
    [[TEXT_NAME, 'done', fill(bg['docs.upload.state_version'], { version: 2 })]],
    'the same name again is version 2',
  );
  assert.equal(await rowOf(a, 'folder-table', TEXT_NAME).count(), 1, 'still one file of that name');
  await rowOf(a, 'folder-table', TEXT_NAME).getByRole('link', { name: TEXT_NAME, exact: true }).click();
  await a.getByRole('heading', { level: 1, name: TEXT_NAME }).waitFor();
  const versions = a.locator('#versions-table tbody tr');
  await versions.nth(1).waitFor();
  assert.equal(await versions.count(), 2, 'two versions');
  assert.match(await versions.first().locator('th').textContent(), /2/);
  await versions.first().getByText(bg['docs.versions.current']).waitFor();
  assert.equal(await versions.first().getByRole('button', { name: new RegExp(escapeRe(bg['docs.versions.restore'])) }).count(), 0);
  await versions.nth(1).getByRole('button', { name: new RegExp(escapeRe(bg['docs.versions.restore'])) }).waitFor();
  const v1 = await download(a, versions.nth(1).getByRole('link', { name: new RegExp(escapeRe(bg['docs.download'])) }));
  assert.equal(v1.toString('utf8'), TEXT_V1, 'version 1 is still there');
  const textPreview = a.getByRole('region', { name: fill(bg['docs.preview_of'], { name: TEXT_NAME }) });
  await textPreview.waitFor();
  await textPreview.getByText('Допълнение: точка 3 — читалища.').waitFor();
  await expectAccessible(a, 'text file with two versions (bg)');

  // ------------------------------------------------------------ rename, delete, restore
  await a.locator('.doc-actions').getByRole('button', { name: bg['docs.rename'] }).click();
  const renameDialog = a.getByRole('dialog', { name: fill(bg['docs.rename_title'], { name: TEXT_NAME }) });
  await renameDialog.waitFor();
  await expectAccessible(a, 'rename dialog');
  await renameDialog.getByLabel(bg['docs.new_name']).fill(RENAMED);
  await renameDialog.getByRole('button', { name: bg['docs.rename'] }).click();
  await renameDialog.waitFor({ state: 'detached' });
  await a.getByRole('heading', { level: 1, name: RENAMED }).waitFor();
  await a.getByRole('status').filter({ hasText: fill(bg['docs.renamed'], { name: RENAMED }) }).waitFor();

  await a.locator('.doc-actions').getByRole('button', { name: bg['docs.delete'] }).click();
  const deleteDialog = a.getByRole('dialog', { name: bg['docs.delete_title'] });
  await deleteDialog.waitFor();
  await deleteDialog.getByText(fill(bg['docs.delete_confirm'], { name: RENAMED })).waitFor();
  await expectAccessible(a, 'delete dialog');
  await deleteDialog.getByRole('button', { name: bg['docs.delete'] }).click();
  await waitForPath(a, folderPath);
  await a.getByRole('heading', { level: 1, name: FOLDER }).waitFor();
  await a.getByRole('status').filter({ hasText: fill(bg['docs.deleted'], { name: RENAMED }) }).waitFor();
  await a.locator('#folder-table').waitFor();
  assert.equal(await rowOf(a, 'folder-table', RENAMED).count(), 0, 'gone from the folder');

  await a.goto(`${baseUrl}/documents/trash`);
  await a.getByRole('heading', { level: 1, name: bg['docs.trash.title'] }).waitFor();
  const trashRow = rowOf(a, 'trash-table', RENAMED);
  await trashRow.waitFor();
  await expectAccessible(a, 'trash (bg)');
  await trashRow.getByRole('button', { name: new RegExp(escapeRe(bg['docs.trash.restore'])) }).click();
  await a.getByRole('status').filter({ hasText: fill(bg['docs.trash.restored'], { name: RENAMED }) }).waitFor();
  assert.equal(await rowOf(a, 'trash-table', RENAMED).count(), 0);
  await a.getByRole('link', { name: bg['docs.trash.open_folder'] }).click();
  await a.getByRole('heading', { level: 1, name: FOLDER }).waitFor();
  await rowOf(a, 'folder-table', RENAMED).waitFor();

  // ------------------------------------------------------------ search and activity
  await a.goto(`${baseUrl}/documents`);
  await a.getByRole('heading', { level: 1, name: bg['docs.title'] }).waitFor();
  await a.locator('.activity').getByRole('link', { name: PDF_NAME, exact: true }).first().waitFor();
  await a.getByLabel(bg['docs.search.field']).fill('решение');
  await a.getByRole('search').getByRole('button', { name: bg['common.search'] }).click();
  await waitForPath(a, '/documents/search');
  const hit = rowOf(a, 'search-table', PDF_NAME);
  await hit.waitFor();
  await hit.getByRole('link', { name: PDF_NAME, exact: true }).waitFor();
  await expectAccessible(a, 'search results (bg)');

  // ------------------------------------------------------------ sharing and live news
  const { access_code: code, activation_secret: secret, display_name: colleague } = await createColleague(a);
  await a.goto(`${baseUrl}${folderPath}`);
  await a.getByRole('heading', { level: 1, name: FOLDER }).waitFor();
  // The space's name, as the breadcrumbs show it (Documents › space › folder).
  const spaceName = (await a.getByRole('navigation', { name: bg['docs.breadcrumbs'] }).getByRole('listitem').nth(1).textContent()).trim();
  const sharing = a.locator('section').filter({ has: a.getByRole('heading', { level: 2, name: bg['docs.shares.title'] }) });
  await sharing.getByLabel(bg['docs.shares.find']).fill(colleague.split(' ')[0]);
  const pick = sharing.getByRole('radio', { name: new RegExp(escapeRe(colleague)) });
  await pick.waitFor();
  await pick.check();
  await sharing.getByLabel(bg['docs.shares.right'], { exact: true }).selectOption('edit');
  await expectAccessible(a, 'share form with matches (bg)');
  await sharing.getByRole('button', { name: bg['docs.shares.submit'] }).click();
  await rowOf(a, 'shares-table', colleague).waitFor();
  await rowOf(a, 'shares-table', colleague).getByText(bg['docs.right.edit']).waitFor();

  // The colleague logs in, finds the folder under "Shared with me" and uploads into it.
  await activateByApi(baseUrl, code, secret);
  const other = await openPage(setup.browser);
  const o = other.page;
  await login(o, baseUrl, code);
  await o.goto(`${baseUrl}/documents`);
  const sharedRow = rowOf(o, 'shared-table', FOLDER);
  await sharedRow.waitFor();
  await sharedRow.getByRole('link', { name: FOLDER, exact: true }).click();
  await o.getByRole('heading', { level: 1, name: FOLDER }).waitFor();
  const NEWS = 'покана-сесия.txt';
  await o.getByLabel(bg['docs.upload.choose']).setInputFiles([
    { name: NEWS, mimeType: 'text/plain', buffer: Buffer.from('Покана за сесия на 28 ноември.\n', 'utf8') },
  ]);
  assert.equal((await uploadsSettle(o, 1))[0].state, 'done');

  // The administrator, still on the folder, hears of it and sees it listed without reloading.
  await a.locator('#documents-live').getByText(fill(bg['docs.live.uploaded'], { space: spaceName, name: NEWS })).waitFor();
  await rowOf(a, 'folder-table', NEWS).waitFor();
  await expectAccessible(a, 'folder with a live notice (bg)');
  o.assertClean();
  await other.context.close();

  // ------------------------------------------------------------ English, every page again
  await a.getByRole('button', { name: 'English' }).click();
  await a.getByRole('heading', { level: 2, name: en['docs.contents'] }).waitFor();
  await expectAccessible(a, 'folder (en)');
  await a.goto(`${baseUrl}/documents`);
  await a.getByRole('heading', { level: 1, name: en['docs.title'] }).waitFor();
  await a.locator('.doc-spaces > li').first().waitFor();
  await expectAccessible(a, 'documents home (en)');
  await a.goto(`${baseUrl}${rootPath}`);
  await a.locator('#folder-table').waitFor();
  await expectAccessible(a, 'personal space (en)');
  await a.goto(`${baseUrl}${folderPath}`);
  await rowOf(a, 'folder-table', PDF_NAME).getByRole('link', { name: PDF_NAME, exact: true }).click();
  await a.getByRole('heading', { level: 1, name: PDF_NAME }).waitFor();
  await a.locator(`iframe[title="${fill(en['docs.preview_of'], { name: PDF_NAME })}"]`).waitFor();
  await a.locator('#versions-table').waitFor();
  await expectAccessible(a, 'PDF details (en)');
  await a.setViewportSize(PHONE);
  assert.ok((await scrollWidth(a)) <= PHONE.width, `file page fits 360 px in English (scrollWidth ${await scrollWidth(a)})`);
  await a.setViewportSize({ width: 1280, height: 800 });
  await a.goto(`${baseUrl}${folderPath}`);
  await rowOf(a, 'folder-table', RENAMED).getByRole('link', { name: RENAMED, exact: true }).click();
  await a.locator('#versions-table tbody tr').nth(1).waitFor();
  await expectAccessible(a, 'text file with versions (en)');
  await a.goto(`${baseUrl}/documents/trash`);
  await a.getByRole('heading', { level: 1, name: en['docs.trash.title'] }).waitFor();
  await a.getByText(en['docs.trash.empty']).waitFor();
  await expectAccessible(a, 'trash (en)');
  await a.goto(`${baseUrl}/documents/search?q=${encodeURIComponent('бележка')}`);
  await rowOf(a, 'search-table', RENAMED).waitFor();
  await expectAccessible(a, 'search results (en)');
  a.assertClean();

  // The guest page in English and Polish; the phone too.
  await g.getByRole('button', { name: 'English' }).click();
  await g.getByRole('heading', { level: 1, name: en['docs.public.gone_title'] }).waitFor();
  await g.goto(lockedLink);
  await g.getByRole('heading', { level: 2, name: en['docs.public.protected'] }).waitFor();
  await expectAccessible(g, 'guest link with a password (en)');
  await g.getByRole('button', { name: 'Polski' }).click();
  await g.getByRole('heading', { level: 2, name: pl['docs.public.protected'] }).waitFor();
  await g.setViewportSize(PHONE);
  assert.ok((await scrollWidth(g)) <= PHONE.width, 'the guest page fits 360 px');
  await expectAccessible(g, 'guest link with a password (phone, pl)');
  g.assertClean();
  await guest.context.close();
  await admin.context.close();
});

/** A colleague made by the administrator through the API, with the page's own session. */
async function createColleague(page) {
  const answer = await page.evaluate(async () => {
    const session = await (await fetch('/api/v1/session')).json();
    const r = await fetch('/api/v1/people', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
      body: JSON.stringify({ display_name: 'Мартина Колева', kind: 'employee', roles: [{ role: 'employee' }], locale: 'bg' }),
    });
    return { status: r.status, body: await r.text() };
  });
  assert.equal(answer.status, 201, `POST /people: ${answer.body}`);
  const issued = JSON.parse(answer.body);
  return { access_code: issued.access_code, activation_secret: issued.activation_secret, display_name: issued.person.display_name };
}
