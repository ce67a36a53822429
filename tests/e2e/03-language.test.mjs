// The login page starts in Bulgarian; switching to Polish and English changes <html lang>
// and the labels, and the choice survives a reload.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dict, expectAccessible, htmlLang, openPage, PHONE, useServerAndBrowser } from './harness.mjs';

const setup = useServerAndBrowser();

async function expectLanguage(page, locale) {
  await page.waitForFunction((l) => document.documentElement.lang === l, locale);
  await page.getByLabel(dict[locale]['login.code']).waitFor();
  await page.getByRole('heading', { level: 1, name: dict[locale]['login.title'] }).waitFor();
  await page.getByRole('link', { name: dict[locale]['footer.accessibility'] }).waitFor();
  assert.equal(await page.title(), `${dict[locale]['login.title']} — Ratusha`);
}

for (const [label, viewport] of [['desktop', undefined], ['phone', PHONE]]) {
  test(`language switch on the login page (${label})`, { timeout: 120_000 }, async () => {
    const { context, page } = await openPage(setup.browser, viewport ? { viewport } : {});
    await page.goto(`${setup.server.baseUrl}/login`);
    assert.equal(await htmlLang(page), 'bg');
    await expectLanguage(page, 'bg');
    await expectAccessible(page, `login in bg (${label})`);

    await page.getByRole('button', { name: 'Polski' }).click();
    await expectLanguage(page, 'pl');
    assert.equal(await page.getByRole('button', { name: 'Polski' }).getAttribute('aria-pressed'), 'true');
    await expectAccessible(page, `login in pl (${label})`);

    await page.getByRole('button', { name: 'English' }).click();
    await expectLanguage(page, 'en');
    await expectAccessible(page, `login in en (${label})`);

    await page.reload();
    await expectLanguage(page, 'en');

    // The choice holds on the other public pages too.
    await page.getByRole('link', { name: dict.en['login.activate_link'] }).click();
    await page.getByRole('heading', { level: 1, name: dict.en['activate.title'] }).waitFor();
    await expectAccessible(page, `activation in en (${label})`);
    await page.getByRole('link', { name: dict.en['footer.accessibility'] }).click();
    await page.getByRole('heading', { level: 1, name: dict.en['a11y.title'] }).waitFor();
    await expectAccessible(page, `accessibility statement in en (${label})`);

    await page.getByRole('button', { name: 'Български' }).click();
    await page.getByRole('heading', { level: 1, name: dict.bg['a11y.title'] }).waitFor();
    assert.equal(await htmlLang(page), 'bg');

    page.assertClean();
    await context.close();
  });
}
