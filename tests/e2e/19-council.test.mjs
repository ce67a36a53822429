// The council in browsers. Set up through the API (as tests/integration/100-council does): a
// five-seat Bulgarian council (quorum 3), its chair and three members, a sitting the chair has
// opened. Then: the administrator schedules another sitting from /council; the chair (desktop)
// calls the roll and opens a vote from the console; two members on phone-sized screens vote by
// tapping — one by keyboard only — and get receipts; a third who registered (remotely, after
// confirming her password) only once the vote was open is told she does not vote; the chair
// sees who has voted and closes the vote; the result appears live on the projector board and on
// the sitting page, with the named list. Speakers: a member asks for the floor and takes the
// request back, two ask, the chair orders them, puts the mayor (not a member) on the list and
// gives the floor with a time limit — the countdown runs on the member's phone and the board
// until "time is up". PL-N: in a second vote the clerk enters the named list for those who have
// not voted, and the vote is marked as entered by the clerk. axe-core on /council, the sitting
// page (chair, member, clerk), the board and the body page, in bg, pl and en.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activateAdministrator, activateByApi, apiCall, bg, dict, DESKTOP, escapeRe, expectAccessible, fill, login, onPhone, openPage, PASSWORD,
  okJson, scrollWidth, useServerAndBrowser,
} from './harness.mjs';

const setup = useServerAndBrowser();
/** The phone the members hold (iPhone 12-ish). */
const HANDSET = { width: 390, height: 844 };

/** The wall time in Sofia `ms` from now, as "YYYY-MM-DDTHH:MM". */
function sofiaIn(ms) {
  const f = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Sofia', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return f.format(new Date(Date.now() + ms)).replace(' ', 'T');
}

const progress = (locale, voted, entitled) => fill(dict[locale]['council.progress'], { voted, entitled });

test('a sitting: roll call, a vote from the console, members voting on phones, the result on the board', { timeout: 300_000 }, async () => {
  const { baseUrl } = setup.server;

  // ------------------------------------------------------------ the scene, through the API
  const { page: a } = await openPage(setup.browser);
  await activateAdministrator(a, setup.server);
  const ok = okJson;
  const body = await ok(
    await apiCall(a, 'POST', '/council/bodies', { name: 'Общински съвет – Проба', jurisdiction: 'bg', seats: 5, term_start: '2023-11-06', time_zone: 'Europe/Sofia' }),
    'body',
  );
  const group = await ok(await apiCall(a, 'POST', `/council/bodies/${body.id}/groups`, { name: 'Група „Проба“', short_name: 'П' }), 'group');
  const person = async (name, role, seat) => {
    const made = await ok(await apiCall(a, 'POST', '/people', { display_name: name, kind: 'councillor', locale: 'bg' }), name);
    await activateByApi(baseUrl, made.access_code, made.activation_secret);
    await ok(await apiCall(a, 'POST', `/council/bodies/${body.id}/members`, { person_id: made.person.id, role, seat, group_id: group.id, from_date: '2023-11-06' }), `seat ${name}`);
    return { id: made.person.id, name, accessCode: made.access_code };
  };
  const chair = await person('Цветан Председателски', 'chair', '1');
  const m1 = await person('Мирослав Първи', 'member', '2');
  const m2 = await person('Милена Втора', 'member', '3');
  const m3 = await person('Матея Трета', 'member', '4');
  // The body's clerk (no seat, no vote) and the mayor, who speaks but is not a member.
  const clerkMade = await ok(await apiCall(a, 'POST', '/people', { display_name: 'Клара Деловодна', kind: 'employee', locale: 'bg' }), 'clerk');
  await activateByApi(baseUrl, clerkMade.access_code, clerkMade.activation_secret);
  await ok(await apiCall(a, 'POST', `/council/bodies/${body.id}/members`, { person_id: clerkMade.person.id, role: 'clerk', from_date: '2023-11-06' }), 'clerk seat');
  const clerk = { id: clerkMade.person.id, name: 'Клара Деловодна', accessCode: clerkMade.access_code };
  const mayor = (await ok(await apiCall(a, 'POST', '/people', { display_name: 'Кмет Кметов', kind: 'employee', locale: 'bg' }), 'mayor')).person;

  const { page: c } = await openPage(setup.browser);
  await login(c, baseUrl, chair.accessCode);
  const sitting = await ok(await apiCall(c, 'POST', '/council/sittings', { body_id: body.id, title: 'Редовно заседание', start: sofiaIn(3600e3), mode: 'hybrid', place: 'Голямата зала' }), 'sitting');
  const park = await ok(await apiCall(c, 'POST', `/council/sittings/${sitting.id}/items`, { title: 'Парк „Проба“', rapporteur: 'Кмет', draft: 'Общинският съвет решава…', majority: 'BG-M1' }), 'item');
  await ok(await apiCall(c, 'POST', `/council/sittings/${sitting.id}/items`, { title: 'Бюджет 2027', majority: 'BG-M2' }), 'item 2');
  await ok(await apiCall(c, 'POST', `/council/sittings/${sitting.id}/open`), 'open');
  const sittingPath = `/council/sittings/${sitting.id}`;
  const title = fill(bg['council.sitting_name'], { number: sitting.number, title: 'Редовно заседание' });

  // ------------------------------------------------------------ /council: the administrator schedules
  await a.goto(`${baseUrl}/`);
  await a.getByRole('navigation', { name: bg['nav.label'] }).getByRole('link', { name: bg['nav.council'] }).click();
  await a.getByRole('heading', { level: 1, name: bg['council.title'] }).waitFor();
  await a.locator(`#sittings-upcoming [data-sitting-id="${sitting.id}"]`).waitFor();
  await a.locator(`#bodies [data-body-id="${body.id}"]`).waitFor();
  await expectAccessible(a, '/council');
  const form = a.locator('#schedule-sitting');
  await form.getByLabel(bg['council.body'], { exact: true }).selectOption(body.id);
  await form.getByRole('button', { name: bg['council.schedule_submit'] }).click();
  await form.locator('.error-summary').waitFor();
  await expectAccessible(a, '/council: the schedule form refused');
  await form.getByLabel(bg['council.sitting_title'], { exact: true }).fill('Извънредно заседание');
  await form.getByLabel(bg['council.date'], { exact: true }).fill(sofiaIn(7 * 86400e3).slice(0, 10));
  await form.getByLabel(bg['council.kind_label']).selectOption('extraordinary');
  await form.getByRole('button', { name: bg['council.schedule_submit'] }).click();
  await a.getByRole('heading', { level: 1, name: fill(bg['council.sitting_name'], { number: 2, title: 'Извънредно заседание' }) }).waitFor();
  await a.locator('#sitting-notice').getByText(fill(bg['council.scheduled'], { title: 'Извънредно заседание' })).waitFor();

  // ------------------------------------------------------------ the chair's console: roll call
  await c.goto(`${baseUrl}${sittingPath}`);
  await c.getByRole('heading', { level: 1, name: title }).waitFor();
  // Each item's materials are a documents folder the members read.
  await c.getByRole('link', { name: `${bg['council.materials']} — Парк „Проба“` }).click();
  await c.getByRole('heading', { level: 1, name: '1. Парк „Проба“' }).waitFor();
  await c.goBack();
  await c.getByRole('heading', { level: 1, name: title }).waitFor();
  const quorum = c.locator('#quorum');
  await quorum.getByText(bg['council.not_quorate']).waitFor();
  const console_ = c.locator('#chair-console');
  await console_.getByRole('heading', { name: bg['council.console'] }).waitFor();
  await expectAccessible(c, 'sitting page (chair, before the roll call)');
  const roll = c.locator('#roll-call-roll_call');
  for (const p of [chair, m1, m2]) await roll.getByLabel(new RegExp(`^${escapeRe(p.name)}`)).check();
  await roll.getByRole('button', { name: fill(bg['council.roll_call_save_n'], { count: 3 }) }).click();
  await quorum.getByText(bg['council.quorate']).waitFor();
  await c.locator('#sitting-notice').getByText(fill(bg['council.roll_call_saved'], { present: 3 })).waitFor();
  assert.match(await quorum.textContent(), new RegExp(escapeRe(fill(bg['council.quorum_line'], { present: 3, seats: 5, needed: 3 }))));

  // ------------------------------------------------------------ members on their phones
  const phone = async (p) => {
    const { page } = await openPage(setup.browser, { viewport: HANDSET, touch: true });
    await login(page, baseUrl, p.accessCode);
    await page.goto(`${baseUrl}${sittingPath}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    return page;
  };
  const [p1, p2, p3] = await Promise.all([phone(m1), phone(m2), phone(m3)]);
  await p1.locator('#my-presence').getByText(bg['council.you_are_present']).waitFor();
  assert.ok((await scrollWidth(p1)) <= HANDSET.width, 'the member page fits the phone');
  await expectAccessible(p1, 'sitting page (member, phone)');

  // The projector in the hall, following live (the administrator's browser).
  const { page: board } = await openPage(setup.browser, { viewport: DESKTOP });
  await board.goto(`${baseUrl}/login`);
  await shareSession(board, a);
  await board.goto(`${baseUrl}${sittingPath}/board`);
  await board.getByRole('heading', { level: 1, name: title }).waitFor();
  await board.locator('#board-item').getByText('1. Парк „Проба“').waitFor();
  await board.locator('#board-quorum').getByText(bg['council.quorate']).waitFor();
  assert.equal(await board.getByRole('button').count(), 0, 'no controls on the board');
  assert.equal(await board.getByRole('navigation').count(), 0, 'no navigation on the board');
  await expectAccessible(board, 'board (no vote yet)');

  // ------------------------------------------------------------ speakers
  // A member asks for the floor (from the phone) and takes the request back.
  const ask = async (page, kind = 'speech') => {
    const form = page.locator('#ask-floor');
    await form.getByLabel(bg[`council.speaker_kind.${kind}`], { exact: true }).check();
    await form.getByRole('button', { name: bg['council.ask_floor_submit'] }).tap();
  };
  await ask(p2);
  const myRequest = fill(bg['council.my_request'], { kind: bg['council.speaker_kind.speech'], place: 1 });
  await p2.locator('#my-requests').getByText(myRequest).waitFor();
  await p2.waitForFunction(() => document.activeElement?.id?.startsWith('my-request-')); // the focus on the request
  await c.locator('#speakers-waiting .speakers__who', { hasText: m2.name }).waitFor();
  await expectAccessible(p2, 'speakers: a request (phone)');
  assert.ok((await scrollWidth(p2)) <= HANDSET.width, 'the speakers fit the phone');
  await p2.getByRole('button', { name: bg['council.withdraw_request'] }).tap();
  await p2.locator('#sitting-notice').getByText(bg['council.request_withdrawn']).waitFor();
  await c.locator('#speakers').getByText(bg['council.nobody_waiting']).waitFor();

  // Two ask; the chair moves the second up, puts the mayor on the list, gives the floor for 10 s.
  await ask(p1);
  await c.locator('#speakers-waiting .speakers__who', { hasText: m1.name }).waitFor();
  await ask(p2);
  await c.locator('#speakers-waiting .speakers__who', { hasText: m2.name }).waitFor();
  const waitingNames = (page) => page.locator('#speakers-waiting li .speakers__who').evaluateAll((lis) => lis.map((li) => li.firstChild.textContent.trim()));
  assert.deepEqual(await waitingNames(c), [m1.name, m2.name]);
  await c.getByRole('button', { name: `${bg['council.move_up']} — ${m2.name}` }).click();
  await c.locator('#sitting-notice').getByText(fill(bg['council.speaker_moved'], { name: m2.name, place: 1 })).waitFor();
  await p1.waitForFunction((first) => document.querySelector('#speakers-waiting li')?.textContent.includes(first), m2.name);
  assert.deepEqual(await waitingNames(p1), [m2.name, m1.name], 'the chair\'s order, on the member\'s phone too');
  const addSpeaker = c.locator('#add-speaker');
  await addSpeaker.getByText(bg['council.add_speaker']).click();
  await addSpeaker.getByLabel(bg['council.member_find'], { exact: true }).fill('Кмет Кме');
  await addSpeaker.getByLabel(/^Кмет Кметов/).check();
  await addSpeaker.getByRole('button', { name: bg['council.add_speaker_submit'] }).click();
  await c.locator('#speakers-waiting .speakers__who', { hasText: mayor.display_name }).waitFor();
  await expectAccessible(c, 'sitting page (chair, the list of speakers)');
  await c.getByLabel(bg['council.floor_seconds']).fill('5');
  await c.getByRole('button', { name: `${bg['council.give_floor']} — ${m2.name}` }).click();
  await c.locator('#speakers .error-summary').waitFor();
  assert.equal(await c.getByLabel(bg['council.floor_seconds']).getAttribute('aria-invalid'), 'true', 'fewer than 10 s: refused, on the field');
  await c.getByLabel(bg['council.floor_seconds']).fill('10');
  await c.getByRole('button', { name: `${bg['council.give_floor']} — ${m2.name}` }).click();
  const clock = /^\d\d:\d\d$/;
  for (const [page, id] of [[c, 'speaker-now'], [p1, 'speaker-now'], [board, 'board-speaker']]) {
    await page.locator(`#${id}-name`).getByText(m2.name).waitFor();
    assert.match((await page.locator(`#${id} [role="timer"]`).textContent()).trim(), clock);
    const left = (await page.locator(`#${id} [role="timer"]`).textContent()).trim();
    assert.ok(left <= '00:10' && left >= '00:01', `a countdown from 10 s (${left})`);
  }
  await p1.locator('#speaker-now-said').getByText(fill(bg['council.floor_given_to'], { name: m2.name, kind: bg['council.speaker_kind.speech'] })).waitFor();
  await c.waitForFunction(() => document.activeElement?.id === 'end-floor'); // the chair's next step
  await expectAccessible(p1, 'speakers: someone has the floor (phone)');
  await expectAccessible(board, 'board (someone has the floor)');
  // The speaker sees it too, and may end the speech themself.
  await p2.getByRole('button', { name: bg['council.end_my_speech'] }).waitFor();

  // ------------------------------------------------------------ the chair opens a vote
  const voteForm = c.locator('#open-vote-form');
  assert.equal(await voteForm.getByLabel(bg['council.agenda_item'], { exact: true }).inputValue(), park.id, 'the first item is chosen');
  await voteForm.getByRole('button', { name: bg['council.open_vote_submit'] }).click();
  const openVote = c.locator('#open-vote');
  await openVote.getByText('Парк „Проба“').first().waitFor();
  await c.locator('#vote-progress').getByText(progress('bg', 0, 3)).waitFor();
  await c.locator('#voters-waiting').getByText(m1.name).waitFor();
  await expectAccessible(c, 'sitting page (chair, a vote open)');
  await board.locator('#board-progress').getByText(progress('bg', 0, 3)).waitFor();
  await expectAccessible(board, 'board (a vote open)');

  // The member with the thumb: big buttons at the bottom of the screen, a confirmation, a receipt.
  const yes = p1.getByRole('button', { name: bg['council.option.yes'], exact: true });
  await yes.waitFor();
  for (const option of ['yes', 'no', 'abstain']) {
    const box = await p1.getByRole('button', { name: bg[`council.option.${option}`], exact: true }).boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44, `${option}: a touch target of at least 44 px (${box.width}×${box.height})`);
    assert.ok(box.y > HANDSET.height / 2 && box.y + box.height <= HANDSET.height, `${option}: in the lower half of the screen (y ${box.y})`);
  }
  await expectAccessible(p1, 'ballot (phone)');
  await yes.tap();
  await p1.getByText(fill(bg['council.confirm_choice'], { choice: bg['council.option.yes'] })).waitFor();
  await p1.waitForFunction(() => document.activeElement?.id === 'ballot-confirm'); // the confirmation takes the focus
  await expectAccessible(p1, 'ballot: confirm (phone)');
  await p1.getByRole('button', { name: bg['council.confirm_vote'] }).tap();
  await p1.getByText(bg['council.vote_recorded']).waitFor();
  const receipt = (await p1.locator('#ballot-receipt').textContent()).trim();
  assert.match(receipt, /^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
  await p1.waitForFunction(() => document.activeElement?.id === 'ballot-recorded'); // and then the confirmation of the vote
  await expectAccessible(p1, 'ballot: recorded (phone)');
  const looked = await fetch(`${baseUrl}/api/v1/public/council/receipts/${receipt}`).then((r) => r.json());
  assert.equal(looked.choice, 'yes');
  await c.locator('#vote-progress').getByText(progress('bg', 1, 3)).waitFor();
  await c.locator('#voters-done').getByText(m1.name).waitFor();
  await board.locator('#board-progress').getByText(progress('bg', 1, 3)).waitFor();
  assert.doesNotMatch(await board.locator('#board-vote').textContent(), new RegExp(escapeRe(bg['council.option.yes'])), 'no counts before the close');

  // The other member by keyboard only: Tab to "No", Enter, Enter.
  await p2.getByRole('button', { name: bg['council.option.no'], exact: true }).waitFor();
  await p2.locator('#open-vote-title').focus();
  let reached = '';
  for (let i = 0; i < 20 && reached !== 'ballot-1'; i++) {
    await p2.keyboard.press('Tab');
    reached = await p2.evaluate(() => document.activeElement?.id ?? '');
  }
  assert.equal(reached, 'ballot-1', 'Tab reaches the "No" button');
  await p2.keyboard.press('Enter');
  await p2.waitForFunction(() => document.activeElement?.id === 'ballot-confirm');
  // Changing one's mind by keyboard: back to the choices, the focus on the choice made.
  await p2.keyboard.press('Tab');
  await p2.keyboard.press('Enter');
  await p2.waitForFunction(() => document.activeElement?.id === 'ballot-1');
  await p2.keyboard.press('Enter');
  await p2.waitForFunction(() => document.activeElement?.id === 'ballot-confirm');
  await p2.keyboard.press('Enter');
  await p2.getByText(bg['council.vote_recorded']).waitFor();
  await p2.getByText(fill(bg['council.your_choice'], { choice: bg['council.option.no'] })).waitFor();

  // The third member arrives only now, remotely: the password is asked for again; she does not vote.
  await p3.locator('#my-presence').getByText(bg['council.you_are_absent']).waitFor();
  await p3.getByRole('button', { name: bg['council.present_remote'] }).tap();
  const dialog = p3.getByRole('dialog', { name: bg['council.remote_title'] });
  await dialog.waitFor();
  await expectAccessible(p3, 'remote attendance dialog (phone)');
  await dialog.getByLabel(bg['council.remote_password']).fill('не е тази');
  await dialog.getByRole('button', { name: bg['council.remote_submit'] }).click();
  await dialog.locator('#remote-password-error').waitFor();
  assert.equal(await dialog.getByLabel(bg['council.remote_password']).getAttribute('aria-invalid'), 'true', 'the error is on the field');
  await dialog.getByLabel(bg['council.remote_password']).fill(PASSWORD);
  await dialog.getByRole('button', { name: bg['council.remote_submit'] }).click();
  await p3.locator('#my-presence').getByText(bg['council.you_are_present_remote']).waitFor();
  await p3.locator('#ballot-not-entitled').getByText(bg['council.ballot_not_present']).waitFor();
  assert.equal(await p3.getByRole('button', { name: bg['council.option.yes'], exact: true }).count(), 0, 'no ballot for her');
  await c.locator('#quorum').getByText(new RegExp(escapeRe(fill(bg['council.quorum_line'], { present: 4, seats: 5, needed: 3 })))).waitFor();

  // The chair votes from the desk, then closes the vote.
  await c.getByRole('button', { name: bg['council.option.yes'], exact: true }).click();
  await c.getByRole('button', { name: bg['council.confirm_vote'] }).click();
  await c.getByText(bg['council.vote_recorded']).waitFor();
  await c.locator('#vote-progress').getByText(progress('bg', 3, 3)).waitFor();
  await c.getByRole('button', { name: bg['council.close_vote'] }).click();

  // The result, at once everywhere. BG-M1 counts those present when the vote opened (3, the
  // late arrival not among them): 2 yes ≥ ⌊3/2⌋ + 1 = 2, adopted.
  const adopted = bg['council.result.adopted'];
  await c.locator('#sitting-notice').getByText(fill(bg['council.vote_closed_notice'], { title: 'Парк „Проба“', result: adopted })).waitFor();
  const record = c.locator('#votes [data-vote-id]').first();
  await record.getByText(adopted).waitFor();
  assert.deepEqual(await tally(record), { yes: '2', no: '1', abstain: '0' });
  await board.locator('#board-result').getByText(adopted).waitFor();
  assert.deepEqual(await tally(board.locator('#board-result')), { yes: '2', no: '1', abstain: '0' });
  await expectAccessible(board, 'board (the result)');
  await p1.locator('#votes').getByText(adopted).waitFor();
  await expectAccessible(p1, 'sitting page (member, after the vote)');

  // The ten seconds are over (the vote took longer): "time is up", said once, on every screen.
  for (const [page, id] of [[c, 'speaker-now'], [p1, 'speaker-now'], [board, 'board-speaker']]) {
    await page.locator(`#${id}-clock`).getByText(bg['council.time_up']).waitFor();
  }
  await p1.locator('#speaker-now-said').getByText(fill(bg['council.time_up_for'], { name: m2.name })).waitFor();
  await expectAccessible(board, 'board (time is up)');
  await c.getByRole('button', { name: bg['council.end_floor'] }).click();
  await p1.locator('#speaker-now').getByText(bg['council.nobody_speaking']).waitFor();
  await board.locator('#board-speaker').getByText(bg['council.nobody_speaking']).waitFor();
  for (const name of [mayor.display_name, m1.name]) {
    await c.getByRole('button', { name: `${bg['council.strike']} — ${name}` }).click();
    await c.locator('#sitting-notice').getByText(fill(bg['council.speaker_struck'], { name })).waitFor();
  }
  await p1.locator('#speakers').getByText(bg['council.nobody_waiting']).waitFor();

  // The named list, after the close.
  await record.getByRole('button', { name: new RegExp(`^${escapeRe(bg['council.named_list_show'])}`) }).click();
  const named = record.locator('table.table');
  await named.getByText(m3.name).waitFor();
  const rows = Object.fromEntries(
    await named.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th').textContent.trim(), tr.querySelector('td:last-child').textContent.trim()])),
  );
  assert.equal(rows[m1.name], bg['council.option.yes']);
  assert.equal(rows[m2.name], bg['council.option.no']);
  assert.equal(rows[chair.name], bg['council.option.yes']);
  assert.equal(rows[m3.name], bg['council.voter_status.absent']);
  assert.match(await record.getByRole('link', { name: new RegExp(`^${escapeRe(bg['council.ledger'])}`) }).getAttribute('href'), new RegExp(`/api/v1/public/council/votes/\\d+/ledger$`));
  await c.locator('#attendance-log').getByText(m3.name).first().waitFor();
  await expectAccessible(c, 'sitting page (chair, after the vote, named list shown)');
  await onPhone(c, 'sitting page (chair)');

  // ------------------------------------------------------------ the body page
  await a.goto(`${baseUrl}/council/bodies/${body.id}`);
  await a.getByRole('heading', { level: 1, name: body.name }).waitFor();
  await a.locator('#members-table').getByRole('rowheader', { name: m1.name }).waitFor();
  await expectAccessible(a, 'body page (administrator)');
  // A fifth member, found in the directory; then the membership ends.
  const fifth = await ok(await apiCall(a, 'POST', '/people', { display_name: 'Пламен Петиев', kind: 'councillor', locale: 'bg' }), 'fifth');
  const add = a.locator('#add-member-form');
  await add.getByLabel(bg['council.member_find'], { exact: true }).fill('Пламен Пет');
  await add.getByLabel(/^Пламен Петиев/).check();
  await add.getByLabel(bg['council.seat'], { exact: true }).fill('5');
  await add.getByLabel(bg['council.group'], { exact: true }).selectOption(group.id);
  await add.getByRole('button', { name: bg['council.add_member_submit'], exact: true }).click();
  await a.locator('#body-notice').getByText(fill(bg['council.member_added'], { name: 'Пламен Петиев' })).waitFor();
  const row = a.locator('#members-table tr', { has: a.getByRole('rowheader', { name: 'Пламен Петиев' }) });
  await row.waitFor();
  assert.equal(fifth.person.display_name, 'Пламен Петиев');
  await row.getByRole('button', { name: new RegExp(`^${escapeRe(bg['council.end_membership'])}`) }).click();
  const end = a.getByRole('dialog');
  await end.waitFor();
  await expectAccessible(a, 'body page: ending a membership');
  await end.getByRole('button', { name: bg['council.end_membership'] }).click();
  await a.locator('#body-notice').getByText(new RegExp(`^${escapeRe(fill(bg['council.membership_ended'], { name: 'Пламен Петиев', date: 'X' })).replace('X', '.*')}`)).waitFor();
  await onPhone(a, 'body page');

  // ------------------------------------------------------------ the other languages
  for (const locale of ['pl', 'en']) {
    const d = dict[locale];
    const language = locale === 'pl' ? 'Polski' : 'English';
    await a.goto(`${baseUrl}/council`);
    await a.getByRole('button', { name: language }).click();
    await a.getByRole('heading', { level: 1, name: d['council.title'] }).waitFor();
    await a.locator(`#sittings-upcoming [data-sitting-id="${sitting.id}"]`).waitFor();
    await expectAccessible(a, `/council (${locale})`);
    await a.goto(`${baseUrl}/council/bodies/${body.id}`);
    await a.getByRole('heading', { level: 2, name: d['council.members'] }).waitFor();
    await a.locator('#members-table').getByRole('rowheader', { name: m1.name }).waitFor();
    await expectAccessible(a, `body page (${locale})`);
    await a.goto(`${baseUrl}${sittingPath}/board`);
    await a.locator('#board-result').getByText(d['council.result.adopted']).waitFor();
    await expectAccessible(a, `board (${locale})`);

    await c.getByRole('button', { name: language }).click();
    await c.getByRole('heading', { level: 2, name: d['council.console'] }).waitFor();
    await expectAccessible(c, `sitting page (chair, ${locale})`);

    await p1.setViewportSize(DESKTOP);
    await p1.getByRole('button', { name: language }).click();
    await p1.setViewportSize(HANDSET);
    await p1.getByRole('heading', { level: 2, name: d['council.my_attendance'] }).waitFor();
    await expectAccessible(p1, `sitting page (member, ${locale}, phone)`);
  }

  // A second vote in English: the member's ballot in another language, still by touch.
  await c.locator('#open-vote-form').getByRole('button', { name: dict.en['council.open_vote_submit'] }).click();
  await p1.getByRole('button', { name: dict.en['council.option.abstain'], exact: true }).tap();
  await p1.getByRole('button', { name: dict.en['council.confirm_vote'] }).tap();
  await p1.getByText(dict.en['council.vote_recorded']).waitFor();
  await expectAccessible(p1, 'ballot recorded (member, en, phone)');
  // The receipt leads to the public page that checks it.
  assert.equal(await p1.locator('#ballot-receipt-check').getAttribute('href'), `/public/council/receipts/${(await p1.locator('#ballot-receipt').textContent()).trim()}`);

  // PL-N: the devices fail; the clerk calls the names of those who have not voted and enters them.
  const { page: k } = await openPage(setup.browser);
  await login(k, baseUrl, clerk.accessCode);
  await k.goto(`${baseUrl}${sittingPath}`);
  const entry = k.locator('#named-entry-form');
  await entry.getByRole('rowheader', { name: m3.name }).waitFor();
  assert.equal(await entry.getByRole('rowheader', { name: m1.name }).count(), 0, 'who has voted is not on the list');
  assert.equal(await k.getByRole('button', { name: bg['council.close_vote'] }).count(), 0, 'the clerk does not close the vote');
  await expectAccessible(k, 'sitting page (clerk, the named list)');
  await entry.getByRole('button', { name: bg['council.named_entry_submit'] }).click();
  await entry.locator('.error-summary').waitFor();
  for (const [p, choice] of [[chair, 'yes'], [m2, 'no'], [m3, 'yes']])
    await entry.getByLabel(fill(bg['council.named_entry_choice'], { name: p.name })).selectOption(choice);
  await entry.getByRole('button', { name: fill(bg['council.named_entry_submit_n'], { count: 3 }) }).click();
  const entered = k.locator('#named-entry-result');
  await entered.getByRole('rowheader', { name: m3.name }).waitFor();
  await k.waitForFunction(() => document.activeElement?.id === 'named-entry-result');
  assert.equal(await entered.getByText(bg['council.named_entered']).count(), 3, 'each entered, with a receipt');
  await k.locator('#named-entry-all').getByText(bg['council.named_entry_all_voted']).waitFor();
  await k.locator('#sitting-notice').getByText(fill(bg['council.named_entry_done'], { entered: 3, refused: 0 })).waitFor();
  await expectAccessible(k, 'sitting page (clerk, the named list entered)');
  await c.locator('#vote-progress').getByText(progress('en', 4, 4)).waitFor();
  await c.getByRole('button', { name: dict.en['council.close_vote'] }).click();
  const manual = c.locator('#votes [data-vote-id]').first();
  await manual.getByText(new RegExp(escapeRe(dict.en['council.manual']))).waitFor();
  assert.deepEqual(await tally(manual), { yes: '2', no: '1', abstain: '1' });

  for (const page of [a, c, p1, p2, p3, board, k]) page.assertClean();
});

/** The count per option of a tally in `root`: { yes: '2', … }. */
async function tally(root) {
  return Object.fromEntries(await root.locator('tr[data-option]').evaluateAll((trs) => trs.map((tr) => [tr.dataset.option, tr.querySelector('.tally__count').textContent.trim()])));
}

/** Signs `page` in with the session of `signedIn` (copies its cookies). */
async function shareSession(page, signedIn) {
  await page.context().addCookies(await signedIn.context().cookies());
}
