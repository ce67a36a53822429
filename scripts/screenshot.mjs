#!/usr/bin/env node
// Takes docs/screenshot.png: the dashboard of the demo municipality's administrator, in
// Bulgarian, at 1280×800. Starts its own server on demo data, like the browser tests do.
//
//   npm run build && RATUSHA_BIN=build/ratusha node scripts/screenshot.mjs [output.png]
import { statSync } from 'node:fs';
import path from 'node:path';
import {
  activate, bg, DESKTOP, launchBrowser, openPage, REPO, startServer,
} from '../tests/e2e/harness.mjs';

const output = path.resolve(process.argv[2] ?? path.join(REPO, 'docs', 'screenshot.png'));

const server = await startServer();
let browser;
try {
  browser = await launchBrowser();
  const { context, page } = await openPage(browser, { viewport: DESKTOP });
  await activate(page, server.baseUrl, {
    accessCode: server.demo.administrator.access_code,
    activationSecret: server.demo.administrator.activation_secret,
  });
  await page.getByRole('heading', { level: 1, name: bg['dashboard.title'] }).waitFor();
  // The header shows the municipality once the session is in; nothing is hovered or focused.
  await page.getByRole('navigation', { name: bg['nav.label'] }).getByRole('link', { name: bg['nav.people'] }).waitFor();
  await page.mouse.move(0, DESKTOP.height - 1);
  await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
  await page.screenshot({ path: output, fullPage: false, animations: 'disabled', caret: 'hide' });
  page.assertClean();
  await context.close();
  console.log(`${path.relative(process.cwd(), output)}: ${Math.round(statSync(output).size / 1024)} KB`);
} finally {
  await browser?.close();
  await server.stop();
}
