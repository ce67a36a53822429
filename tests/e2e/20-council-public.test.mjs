// The council as published, without login (BG-T, PL-N). Set up through the API: a three-seat
// Polish council, a sitting with two items, a named vote its three members cast (one of them
// keeps a receipt), closed. Then a browser that never signed in reads /public/council: the list of
// sittings, the sitting (agenda, the result with its bars, the named list), the vote (named list,
// the ledger and how to check it), a councillor's voting record and "check your receipt" — by
// keyboard, on a phone and in bg, pl and en, each with axe-core; the CSV link answers text/csv.
// A signed-in member reaches the public page from the sitting's own page.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import {
  activateAdministrator, activateByApi, apiCall, dict, escapeRe, expectAccessible, fill, openPage, PHONE, okJson, scrollWidth, useServerAndBrowser,
} from './harness.mjs';

const setup = useServerAndBrowser();

/** A person made by the administrator and activated: calls the API with their own session. */
async function councillor(admin, baseUrl, name) {
  const made = await okJson(await apiCall(admin, 'POST', '/people', { display_name: name, kind: 'councillor', locale: 'pl' }), name);
  const { cookie, csrf_token: csrf } = await activateByApi(baseUrl, made.access_code, made.activation_secret);
  const call = async (method, path, body) => {
    const r = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return { id: made.person.id, name, call };
}

test('published: sittings, a vote with its named list, a councillor\'s record and a receipt, signed out, in three languages', { timeout: 120_000 }, async () => {
  const { baseUrl } = setup.server;

  // ------------------------------------------------------------ the scene, through the API
  const { page: a } = await openPage(setup.browser);
  await activateAdministrator(a, setup.server);
  const ok = okJson;
  const body = await ok(
    await apiCall(a, 'POST', '/council/bodies', { name: 'Rada Gminy Próbnej', jurisdiction: 'pl', seats: 3, term_start: '2024-05-07', time_zone: 'Europe/Warsaw' }),
    'body',
  );
  const group = await ok(await apiCall(a, 'POST', `/council/bodies/${body.id}/groups`, { name: 'Klub „Próba”', short_name: 'P' }), 'group');
  const chair = await councillor(a, baseUrl, 'Czesława Przewodnicząca');
  const m1 = await councillor(a, baseUrl, 'Marek Pierwszy');
  const m2 = await councillor(a, baseUrl, 'Maria Druga');
  for (const [p, role, seat] of [[chair, 'chair', '1'], [m1, 'member', '2'], [m2, 'member', '3']])
    await ok(await apiCall(a, 'POST', `/council/bodies/${body.id}/members`, { person_id: p.id, role, seat, group_id: group.id, from_date: '2024-05-07' }), `seat ${p.name}`);
  const start = new Date(Date.now() + 3600e3).toISOString().slice(0, 16);
  const sitting = await chair.call('POST', '/council/sittings', { body_id: body.id, title: 'Sesja zwyczajna', start, mode: 'in_person', place: 'Sala obrad' });
  const park = await chair.call('POST', `/council/sittings/${sitting.id}/items`, { title: 'Park „Próba”', rapporteur: 'Burmistrz', draft: 'Rada postanawia…', majority: 'PL-M1' });
  await chair.call('POST', `/council/sittings/${sitting.id}/items`, { title: 'Budżet 2027', majority: 'PL-M2' });
  await chair.call('POST', `/council/sittings/${sitting.id}/open`);
  await chair.call('POST', `/council/sittings/${sitting.id}/roll-call`, { marks: [chair, m1, m2].map((p) => ({ person_id: p.id, present: true })), how: 'roll_call' });
  const vote = await chair.call('POST', `/council/sittings/${sitting.id}/votes`, { item_id: park.id });
  await chair.call('POST', `/council/votes/${vote.id}/ballots`, { choice: 'yes' });
  const { receipt } = await m1.call('POST', `/council/votes/${vote.id}/ballots`, { choice: 'yes' });
  await m2.call('POST', `/council/votes/${vote.id}/ballots`, { choice: 'no' });
  const closed = await chair.call('POST', `/council/votes/${vote.id}/close`);
  assert.equal(closed.result, 'adopted');

  // ------------------------------------------------------------ signed out, in Bulgarian (the default)
  const { context, page } = await openPage(setup.browser);
  const bg = dict.bg;
  const sittingName = (d) => fill(d['council.sitting_name'], { number: sitting.number, title: 'Sesja zwyczajna' });
  const voteName = (d) => `${fill(d['council.vote_number'], { number: vote.number })}: Park „Próba”`;

  await page.goto(`${baseUrl}/public/council`);
  await page.getByRole('heading', { level: 1, name: bg['council.public_title'] }).waitFor();
  assert.equal(await page.getByRole('link', { name: bg['login.submit'] }).count() + (await page.getByRole('navigation', { name: bg['nav.label'] }).count()), 0, 'no application navigation');
  await expectAccessible(page, '/public/council (bg)');
  assert.match(await page.locator('#feed-link').getAttribute('href'), /\/api\/v1\/public\/council\/feed\.atom$/);
  await page.locator('#public-sittings').getByRole('link', { name: sittingName(bg) }).click();

  // The sitting: agenda, the vote's result with its bars, the named list to unfold, the data.
  await page.getByRole('heading', { level: 1, name: sittingName(bg) }).waitFor();
  await page.locator('#agenda').getByText('Budżet 2027').waitFor();
  const record = page.locator(`#votes [data-vote-id="${vote.id}"]`);
  await record.getByText(bg['council.result.adopted']).waitFor();
  assert.deepEqual(await tally(record), { yes: '2', no: '1', abstain: '0' });
  await record.locator('summary', { hasText: bg['council.named_list_show'] }).click();
  await record.getByRole('rowheader', { name: m2.name }).waitFor();
  await expectAccessible(page, 'public sitting (bg)');
  const csvLink = page.locator('#downloads a[data-format="csv"]');
  const [csv, download] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/api/v1/public/council/sittings/${sitting.id}?format=csv`)),
    page.waitForEvent('download'),
    csvLink.click(),
  ]);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /^text\/csv/);
  assert.match(await readFile(await download.path(), 'utf8'), /"Marek Pierwszy"/);

  // The vote: the named list, the ledger and how to check it.
  await record.getByRole('link', { name: voteName(bg) }).click();
  await page.getByRole('heading', { level: 1, name: voteName(bg) }).waitFor();
  const named = page.locator('#named-list-table');
  const rows = Object.fromEntries(
    await named.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th').textContent.trim(), tr.querySelector('td:last-child').textContent.trim()])),
  );
  assert.deepEqual(rows, { [chair.name]: bg['council.option.yes'], [m1.name]: bg['council.option.yes'], [m2.name]: bg['council.option.no'] });
  assert.match(await page.locator('#ledger-link').getAttribute('href'), new RegExp(`/api/v1/public/council/votes/${vote.id}/ledger$`));
  await page.locator('#check').getByText(`python3 tools/verify_vote.py ledger-${vote.id}.json`).waitFor();
  const ledger = await page.request.get(`${baseUrl}/api/v1/public/council/votes/${vote.id}/ledger`);
  assert.equal((await ledger.json()).entries.length, 5, 'opened, three ballots, closed');
  await expectAccessible(page, 'public vote (bg)');

  // A councillor's record, from the named list.
  await named.getByRole('link', { name: m2.name }).click();
  await page.getByRole('heading', { level: 1, name: fill(bg['council.record_title'], { name: m2.name }) }).waitFor();
  const line = page.locator(`#record-table tr[data-vote-id="${vote.id}"]`);
  await line.getByText(bg['council.option.no']).waitFor();
  await line.getByText(bg['council.result.adopted']).waitFor();
  await expectAccessible(page, 'public record (bg)');

  // Check a receipt, by keyboard: nothing, a forged one, then the real one.
  await page.goto(`${baseUrl}/public/council/receipts`);
  await page.getByRole('heading', { level: 1, name: bg['council.receipt_title'] }).waitFor();
  const field = page.getByLabel(bg['council.receipt'], { exact: true });
  await field.focus();
  await page.keyboard.press('Enter');
  await page.locator('#receipt-code-error').getByText(bg['validation.required']).waitFor();
  // The error summary takes the focus once it is drawn; wait for that, or it could take the
  // focus from the field after the next fill and swallow the Enter (seen on a busy CI).
  await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
  await field.fill('AAAA-BBBB-CCCC-DDDD');
  await field.press('Enter');
  await page.locator('#receipt-code-error').getByText(bg['council.receipt_not_found']).waitFor();
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  await expectAccessible(page, 'receipt refused (bg)');
  await field.fill(receipt.toLowerCase());
  await page.getByLabel(bg['council.receipt'], { exact: true }).press('Enter');
  await page.locator('#receipt-choice').getByText(bg['council.option.yes']).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'receipt-result'); // the answer takes the focus
  assert.equal(await page.locator('#receipt-vote-link').getAttribute('href'), `/public/council/votes/${vote.id}`);
  await expectAccessible(page, 'receipt found (bg)');

  // On a phone: nothing scrolls sideways.
  await page.setViewportSize(PHONE);
  for (const path of [`/public/council/sittings/${sitting.id}`, `/public/council/votes/${vote.id}`, `/public/council/people/${m2.id}`, `/public/council/receipts/${receipt}`]) {
    await page.goto(`${baseUrl}${path}`);
    await page.locator('main h1').waitFor();
    await page.locator('#downloads, #receipt-result').first().waitFor();
    assert.ok((await scrollWidth(page)) <= PHONE.width, `${path} fits the phone`);
    await expectAccessible(page, `${path} (phone)`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // ------------------------------------------------------------ Polish and English
  for (const [locale, language] of [['pl', 'Polski'], ['en', 'English']]) {
    const d = dict[locale];
    await page.goto(`${baseUrl}/public/council`);
    await page.getByRole('button', { name: language }).click();
    await page.getByRole('heading', { level: 1, name: d['council.public_title'] }).waitFor();
    await expectAccessible(page, `/public/council (${locale})`);
    await page.goto(`${baseUrl}/public/council/sittings/${sitting.id}`);
    await page.getByRole('heading', { level: 1, name: sittingName(d) }).waitFor();
    await page.locator(`#votes [data-vote-id="${vote.id}"]`).getByText(d['council.result.adopted']).waitFor();
    await expectAccessible(page, `public sitting (${locale})`);
    await page.goto(`${baseUrl}/public/council/votes/${vote.id}`);
    await page.getByRole('heading', { level: 2, name: d['council.check_title'] }).waitFor();
    await page.locator('#named-list-table').getByRole('rowheader', { name: m1.name }).waitFor();
    await expectAccessible(page, `public vote (${locale})`);
    await page.goto(`${baseUrl}/public/council/people/${chair.id}`);
    await page.getByRole('heading', { level: 1, name: fill(d['council.record_title'], { name: chair.name }) }).waitFor();
    await page.locator(`#record-table tr[data-vote-id="${vote.id}"]`).getByText(d['council.option.yes']).waitFor();
    await expectAccessible(page, `public record (${locale})`);
    await page.goto(`${baseUrl}/public/council/receipts/${receipt}`);
    await page.locator('#receipt-choice').getByText(d['council.option.yes']).waitFor();
    await expectAccessible(page, `receipt (${locale})`);
  }
  // Things that are not there.
  await page.goto(`${baseUrl}/public/council/votes/999999`);
  await page.getByRole('heading', { level: 1, name: dict.en['council.vote_missing'] }).waitFor();
  await page.goto(`${baseUrl}/public/council/people/${body.id}`);
  await page.getByRole('heading', { level: 1, name: dict.en['council.person_missing'] }).waitFor();
  page.assertClean();
  await context.close();

  // ------------------------------------------------------------ from the inside
  await a.goto(`${baseUrl}/council/sittings/${sitting.id}`);
  await a.locator('#public-link').click();
  await a.getByRole('heading', { level: 1, name: sittingName(bg) }).waitFor();
  await a.getByRole('navigation', { name: bg['nav.label'] }).waitFor(); // in the application's layout
  await a.goto(`${baseUrl}/council/sittings/${sitting.id}`);
  await a.locator(`#votes [data-vote-id="${vote.id}"]`).getByRole('link', { name: new RegExp(`^${escapeRe(bg['council.public_page'])}`) }).click();
  await a.getByRole('heading', { level: 1, name: voteName(bg) }).waitFor();
  a.assertClean();
});

/** The count per option of a tally in `root`: { yes: '2', … }. */
async function tally(root) {
  return Object.fromEntries(await root.locator('tr[data-option]').evaluateAll((trs) => trs.map((tr) => [tr.dataset.option, tr.querySelector('.tally__count').textContent.trim()])));
}
