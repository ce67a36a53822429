// Chat beside a meeting: an organiser creates (through the API) a meeting with one invitee, and
// both open its page in their own browsers. Enter on an empty message is refused on the field
// and in the summary. The organiser writes a message with markup in it over two lines
// (Shift+Enter) and mentions the invitee through the "@" picker (keyboard only); the invitee
// sees it appear live — shown literally (no <b> element), the line break kept, the mention
// marked — announced politely without losing the focus, and their bell count rises (the
// mention's notification). The invitee replies; the organiser sees it live; a message with a
// link to the meeting's documents folder; the organiser removes her first message after a
// confirmation and the invitee sees "removed" live. "Load earlier" fetches the older page.
// Someone not invited gets the not-found page and 404 from the API. axe-core on the meeting
// page with the chat (empty, with an error, with the picker open, with messages, the removal
// dialog), at desktop and phone widths, and once in Polish.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activateAdministrator, activateByApi, apiCall, bellName, bg, createColleague, DESKTOP, dict, escapeRe, expectAccessible, fill, login, openPage, PHONE, scrollWidth, useServerAndBrowser,
} from './harness.mjs';

const setup = useServerAndBrowser();
const pl = dict.pl;

const TITLE = 'Бюджет 2027 — съгласуване';
const ALICE = 'Десислава Пенчева';
const BORIS = 'Любомир Цонев';
const VERA = 'Ралица Илиева';

/** Tomorrow at 10:00 in Sofia, as the meeting form's wall time. */
function tomorrowInSofia() {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Sofia' }).format(new Date(Date.now() + 24 * 3600_000));
  return `${day}T10:00`;
}

test('chat: live, plain text, mentions, reply, removal, earlier messages, not invited', { timeout: 90_000 }, async () => {
  const { baseUrl } = setup.server;
  const admin = await openPage(setup.browser);
  await activateAdministrator(admin.page, setup.server);
  const [alice, boris, vera] = [
    await createColleague(admin.page, ALICE),
    await createColleague(admin.page, BORIS),
    await createColleague(admin.page, VERA),
  ];
  await admin.context.close();
  await Promise.all([alice, boris, vera].map((p) => activateByApi(baseUrl, p.accessCode, p.activationSecret)));
  const [aliceCtx, borisCtx, veraCtx] = await Promise.all([openPage(setup.browser), openPage(setup.browser), openPage(setup.browser)]);
  const [a, b, d] = [aliceCtx.page, borisCtx.page, veraCtx.page];
  await Promise.all([login(a, baseUrl, alice.accessCode), login(b, baseUrl, boris.accessCode), login(d, baseUrl, vera.accessCode)]);

  // ------------------------------------------------------------ the meeting, through the API
  const created = await apiCall(a, 'POST', '/meetings', {
    title: TITLE,
    start: tomorrowInSofia(),
    time_zone: 'Europe/Sofia',
    duration: 3600,
    invitees: [{ kind: 'person', id: boris.id }],
  });
  assert.equal(created.status, 201, created.body);
  const meeting = JSON.parse(created.body);
  const meetingPath = `/meetings/${meeting.id}`;
  await b.getByRole('link', { name: bellName(1) }).waitFor(); // the invitation

  await Promise.all([a.goto(`${baseUrl}${meetingPath}`), b.goto(`${baseUrl}${meetingPath}`)]);
  const logA = a.getByRole('log', { name: bg['chat.title'] });
  const logB = b.getByRole('log', { name: bg['chat.title'] });
  await logA.getByText(bg['chat.empty']).waitFor();
  await logB.getByText(bg['chat.empty']).waitFor();
  await expectAccessible(a, 'meeting page with an empty chat (bg)');
  // Everything Boris's chat says politely.
  await b.evaluate(() => {
    window.chatSaid = [];
    const region = document.getElementById('chat-meeting-announcer');
    new MutationObserver(() => {
      const text = region.textContent.trim();
      if (text) window.chatSaid.push(text);
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });

  // ------------------------------------------------------------ nothing written: refused
  const boxA = a.getByLabel(bg['chat.message'], { exact: true });
  await boxA.focus();
  await a.keyboard.press('Enter');
  await a.locator('.chat-composer').getByRole('alert').getByRole('link', { name: `${bg['chat.message']}: ${bg['validation.body.required']}` }).waitFor();
  assert.equal(await boxA.getAttribute('aria-invalid'), 'true');
  await expectAccessible(a, 'chat with an error (bg)');

  // ------------------------------------------------------------ markup, two lines, a mention
  await boxA.focus();
  await a.keyboard.type('Здравейте, <b>not bold</b>');
  await a.keyboard.press('Shift+Enter');
  await a.keyboard.type('Справката е готова, @Люб');
  const option = a.getByRole('option', { name: BORIS });
  await option.waitFor();
  assert.equal(await option.getAttribute('aria-selected'), 'true');
  assert.equal(await boxA.getAttribute('aria-activedescendant'), await option.getAttribute('id'));
  await expectAccessible(a, 'chat with the mention picker open (bg)');
  await a.keyboard.press('Enter'); // chooses Boris
  await option.waitFor({ state: 'detached' });
  await a.keyboard.type('моля, прегледайте я.');
  const sentText = `Здравейте, <b>not bold</b>\nСправката е готова, @${BORIS} моля, прегледайте я.`;
  assert.equal(await boxA.inputValue(), sentText);
  // Boris is writing something himself meanwhile: the new message must not take his focus.
  const boxB = b.getByLabel(bg['chat.message'], { exact: true });
  await boxB.focus();
  await a.keyboard.press('Enter'); // sends
  await logA.locator('.chat-message').filter({ hasText: 'not bold' }).waitFor();
  assert.equal(await boxA.inputValue(), '', 'the composer is emptied');
  assert.equal(await a.locator('.chat-composer').getByRole('alert').count(), 0, 'the error is gone');

  // Boris sees it live, literally.
  const firstB = logB.locator('.chat-message').filter({ hasText: '<b>not bold</b>' });
  await firstB.waitFor();
  assert.equal(await firstB.locator('b').count(), 0, 'no <b> element in the message');
  assert.equal(await firstB.locator('.chat-message__body').textContent(), sentText, 'the text as written, line break included');
  await firstB.locator('.chat-mention').getByText(`@${BORIS}`).waitFor();
  await firstB.getByText(ALICE).waitFor();
  assert.equal(await firstB.getByRole('button').count(), 0, 'no remove button on someone else’s message');
  assert.equal(await b.evaluate(() => document.activeElement?.id), 'chat-meeting-body', 'the focus stayed where it was');
  await b.getByRole('link', { name: bellName(2) }).waitFor(); // the mention
  const said = await b.evaluate(() => window.chatSaid);
  const heard = fill(bg['chat.arrived'], { name: ALICE, text: `Здравейте, <b>not bold</b> Справката е готова, @${BORIS} моля, прегледайте я.` });
  assert.ok(said.includes(heard), `announced politely: ${JSON.stringify(said)}`);
  const mention = JSON.parse((await apiCall(b, 'GET', '/notifications?limit=5')).body).items.find((n) => n.kind === 'chat.mention');
  assert.ok(mention, 'a chat.mention notification');
  assert.equal(mention.link, meetingPath);

  // ------------------------------------------------------------ Boris replies
  await boxB.fill('Благодаря, ще я прегледам до петък.');
  await b.getByRole('button', { name: bg['chat.send'], exact: true }).click();
  await logB.locator('.chat-message--mine').getByText('Благодаря, ще я прегледам до петък.').waitFor();
  await logA.locator('.chat-message').getByText('Благодаря, ще я прегледам до петък.').waitFor();
  await expectAccessible(b, 'meeting page with chat messages (bg)');
  await b.setViewportSize(PHONE);
  await b.getByRole('button', { name: bg['layout.menu'] }).waitFor();
  assert.ok((await scrollWidth(b)) <= PHONE.width, `the meeting page with the chat fits 360 px (${await scrollWidth(b)})`);
  await expectAccessible(b, 'meeting page with chat messages (phone)');
  await b.setViewportSize(DESKTOP);

  // ------------------------------------------------------------ a link to the meeting's documents
  await a.getByRole('button', { name: bg['chat.document_add'] }).click();
  const docField = a.getByLabel(bg['chat.document_field'], { exact: true });
  await docField.fill(`${baseUrl}/documents/n/${meeting.documents_folder_id}`);
  await boxA.fill('Материалите са в папката на срещата: https://example.org/budget.');
  await boxA.press('Enter');
  const withDoc = logB.locator('.chat-message').filter({ hasText: 'Материалите' });
  await withDoc.getByRole('link', { name: 'https://example.org/budget' }).waitFor();
  assert.equal(await withDoc.getByRole('link', { name: 'https://example.org/budget' }).getAttribute('href'), 'https://example.org/budget');
  const folderLink = withDoc.locator('.chat-message__document a');
  assert.equal(await folderLink.getAttribute('href'), `/documents/n/${meeting.documents_folder_id}`);

  // ------------------------------------------------------------ removing her first message
  const firstA = logA.locator('.chat-message').filter({ hasText: 'not bold' });
  const firstId = await firstA.getAttribute('data-message-id');
  await firstA.getByRole('button', { name: new RegExp(`^${escapeRe(bg['chat.remove'])}`) }).click();
  const dialog = a.getByRole('dialog', { name: bg['chat.remove_title'] });
  await dialog.waitFor();
  await expectAccessible(a, 'chat: remove a message? (bg)');
  await dialog.getByRole('button', { name: bg['chat.remove'], exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await logA.locator(`[data-message-id="${firstId}"]`).getByText(bg['chat.removed_text']).waitFor();
  await logB.locator(`[data-message-id="${firstId}"]`).getByText(bg['chat.removed_text']).waitFor();
  assert.equal(await logB.getByText('not bold').count(), 0, 'its text is gone for Boris too');

  // ------------------------------------------------------------ earlier messages
  const many = await a.evaluate(
    async ({ id, count }) => {
      const session = await (await fetch('/api/v1/session')).json();
      const codes = [];
      for (let i = 1; i <= count; i++) {
        const r = await fetch(`/api/v1/meetings/${id}/messages`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
          body: JSON.stringify({ body: `Точка ${i}` }),
        });
        codes.push(r.status);
      }
      return codes;
    },
    { id: meeting.id, count: 30 },
  );
  assert.ok(many.every((s) => s === 201), `30 messages posted: ${many}`);
  await logB.getByText('Точка 30', { exact: true }).waitFor();
  await b.reload();
  await logB.getByText('Точка 30', { exact: true }).waitFor();
  assert.equal(await logB.getByText('Благодаря, ще я прегледам до петък.').count(), 0, 'older messages wait for "load earlier"');
  await b.getByRole('button', { name: bg['chat.load_earlier'] }).click();
  await logB.getByText('Благодаря, ще я прегледам до петък.').waitFor();

  // ------------------------------------------------------------ another language
  await b.getByRole('button', { name: 'Polski' }).click();
  await b.getByRole('log', { name: pl['chat.title'] }).waitFor();
  await b.getByRole('button', { name: pl['chat.send'], exact: true }).waitFor();
  await b.getByText(pl['chat.hint']).waitFor();
  await expectAccessible(b, 'meeting page with the chat (pl)');
  await b.getByRole('button', { name: 'Български' }).click();
  await b.getByRole('button', { name: bg['chat.send'], exact: true }).waitFor();

  // ------------------------------------------------------------ Vera was not invited
  await d.goto(`${baseUrl}${meetingPath}`);
  await d.getByRole('heading', { level: 1, name: bg['meetings.missing_title'] }).waitFor();
  assert.equal(await d.getByRole('log').count(), 0, 'no chat');
  assert.equal(await d.getByText('Точка').count(), 0, 'nothing of the conversation shows');
  assert.equal((await apiCall(d, 'GET', `/meetings/${meeting.id}/messages`)).status, 404);
  assert.equal((await apiCall(d, 'POST', `/meetings/${meeting.id}/messages`, { body: 'Здравейте' })).status, 404);

  for (const p of [a, b, d]) p.assertClean();
  await Promise.all([aliceCtx, borisCtx, veraCtx].map((x) => x.context.close()));
});
