// "Call a colleague now": the administrator finds a colleague on the dashboard and calls; the
// colleague's screen rings (a dialog that takes the focus), she accepts and lands in the
// caller's personal room; both see the call bar; the caller hangs up and both bars go. A
// second call is declined with a word, which the caller reads. axe-core on the ringing dialog
// and the call bar.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activateAdministrator, activateByApi, apiCall, bg, createColleague, expectAccessible, fill, login, openPage, PHONE, useServerAndBrowser,
} from './harness.mjs';

const setup = useServerAndBrowser();
const COLLEAGUE = 'Стефка Колежка';

test('call a colleague: ring, accept, room, hang up; decline with a word', { timeout: 90_000 }, async () => {
  const { baseUrl } = setup.server;
  const { page: a } = await openPage(setup.browser);
  await activateAdministrator(a, setup.server);
  const me = (await apiCall(a, 'GET', '/me')).json;
  const colleague = await createColleague(a, COLLEAGUE);
  await activateByApi(baseUrl, colleague.accessCode, colleague.activationSecret);
  // She is on a phone.
  const { page: c } = await openPage(setup.browser, { viewport: PHONE });
  await login(c, baseUrl, colleague.accessCode);
  await c.goto(`${baseUrl}/`);
  await c.getByRole('heading', { level: 2, name: bg['calls.title'] }).waitFor();

  // The caller finds her and calls.
  await a.goto(`${baseUrl}/`);
  const card = a.locator('#call-colleague');
  await card.getByLabel(bg['calls.find']).fill('Стефка');
  const callButton = card.getByRole('button', { name: `${bg['calls.call']} ${COLLEAGUE}` });
  await callButton.click();
  const bar = a.locator('#call-bar');
  await bar.getByText(fill(bg['calls.calling'], { name: COLLEAGUE })).waitFor();
  await expectAccessible(a, 'dashboard: calling');

  // It rings for her: a dialog with the focus on "Accept".
  const ringing = c.getByRole('alertdialog', { name: fill(bg['calls.incoming_title'], { name: me.display_name }) });
  await ringing.waitFor();
  assert.equal(await c.evaluate(() => document.activeElement?.textContent?.trim()), bg['calls.accept']);
  await expectAccessible(c, 'ringing dialog (phone)');
  await ringing.getByRole('button', { name: bg['calls.accept'] }).click();
  await c.waitForURL(/\/rooms\/\d+$/);
  const roomPath = new URL(c.url()).pathname;
  await c.locator('#call-bar').getByText(fill(bg['calls.in_call'], { name: me.display_name })).waitFor();

  // The caller's bar says so, with the way to the same room.
  await bar.getByText(fill(bg['calls.in_call'], { name: COLLEAGUE })).waitFor();
  assert.equal(new URL(await bar.getByRole('link', { name: bg['calls.go_to_room'] }).getAttribute('href'), baseUrl).pathname, roomPath);
  await expectAccessible(a, 'dashboard: in a call');
  await bar.getByRole('button', { name: bg['calls.hang_up'] }).click();
  await bar.waitFor({ state: 'detached' });
  await c.locator('#call-bar').waitFor({ state: 'detached' });

  // A second call, declined with a word.
  await callButton.click();
  await ringing.waitFor();
  await ringing.getByLabel(bg['calls.decline_message']).fill('На среща съм');
  await ringing.getByRole('button', { name: bg['calls.decline'] }).click();
  await ringing.waitFor({ state: 'detached' });
  await bar.getByText(fill(bg['calls.declined'], { name: COLLEAGUE })).waitFor();
  await bar.getByText('На среща съм').waitFor();
  await expectAccessible(a, 'dashboard: call declined');
  await bar.getByRole('button', { name: bg['calls.dismiss'] }).click();
  await bar.waitFor({ state: 'detached' });
});
