// GraphiQL in a real browser (Debian's Chromium, headless, driven by playwright-core):
// the page and all its assets come from the server, nothing from outside; a query, the
// sign-in mutation (session cookie), a query as that user (CSRF token from the cookie) and
// a live subscription all show their results in the response pane. Screenshots go to
// SCREENSHOT_DIR. Run by tests/e2e/test_graphiql_browser.py, which provides:
//   GRAPHIQL_URL     http://127.0.0.1:<port>/graphql/
//   SCREENSHOT_DIR   where the PNGs go
//   SIGN_IN_EMAIL    the account the "SignIn" tab's variables name (it must exist)
//   VIDEO_ID, COMMENTER_TOKEN  a video, and a bearer token to comment on it with
//   CHROMIUM_PATH    default /usr/bin/chromium
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

const URL_ = process.env.GRAPHIQL_URL ?? "http://127.0.0.1:8000/graphql/";
const SERVER = new URL(URL_).origin;
const SHOTS = process.env.SCREENSHOT_DIR ?? "screenshots";
const EMAIL = process.env.SIGN_IN_EMAIL ?? "demo1@example.com";
const WAIT = 20_000;

let browser;
let page;
const outside = []; // requests that tried to leave the server
const pageErrors = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // Only the server may be reached: anything else (a CDN) is refused and recorded.
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin === SERVER || url.protocol === "data:" || url.protocol === "blob:") {
      return route.continue();
    }
    outside.push(url.href);
    return route.abort();
  });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
});

after(async () => {
  await browser?.close();
});

/** The response pane's text (Monaco renders spaces as no-break spaces). */
async function responseText() {
  const text = await page.locator(".graphiql-response .view-lines").innerText();
  return text.replace(/\u00a0/g, " ");
}

async function waitForResponse(predicate, what) {
  const deadline = Date.now() + WAIT;
  let text = "";
  while (Date.now() < deadline) {
    text = await responseText().catch(() => "");
    if (predicate(text)) return text;
    await page.waitForTimeout(100);
  }
  assert.fail(`response pane never showed ${what}; it shows:\n${text}`);
}

/** Run the active tab's operation over HTTP; the server's JSON answer. */
async function run() {
  const answered = page.waitForResponse(
    (response) => response.url() === URL_ && response.request().method() === "POST",
  );
  await page.locator(".graphiql-execute-button").click();
  const response = await answered;
  assert.equal(response.status(), 200, await response.text());
  return response.json();
}

/** Wait until the operation editor shows `text` (Monaco renders spaces as U+00A0). */
async function editorShows(text) {
  await page.waitForFunction(
    (wanted) =>
      document
        .querySelector(".graphiql-query-editor")
        ?.textContent?.replace(/\u00a0/g, " ")
        .includes(wanted),
    text,
    { timeout: WAIT },
  );
}

async function openTab(name) {
  await page.getByRole("tab", { name }).click();
  await editorShows(name);
  // GraphiQL re-reads the operation name from the editor after a short debounce; a run
  // before that would send the previous tab's name (a person is never that quick).
  await page.waitForTimeout(600);
}

async function shot(name) {
  await page.screenshot({ path: join(SHOTS, name) });
}

test("GraphiQL in Chromium", async (t) => {
  let failed = false;
  const step = (name, fn) =>
    t.test(name, { skip: failed && "an earlier step failed" }, async (sub) => {
      try {
        await fn(sub);
      } catch (error) {
        failed = true;
        await shot("graphiql-failure.png").catch(() => {});
        throw error;
      }
    });

  await step("the page and its assets load from the server alone", async () => {
    const response = await page.goto(URL_, { waitUntil: "networkidle" });
    assert.equal(response.status(), 200);
    await page.locator(".graphiql-container").waitFor({ timeout: WAIT });
    await editorShows("query Videos");
    const cookies = await page.context().cookies(SERVER);
    assert.ok(cookies.some((cookie) => cookie.name === "csrftoken"), "no csrftoken cookie");
    assert.deepEqual(outside, []);
  });

  await step("the default query runs and shows the feed of videos", async () => {
    const body = await run();
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.ok(Array.isArray(body.data.videos.edges));
    await waitForResponse((text) => text.includes('"totalCount"'), "the videos' totalCount");
    await shot("graphiql-videos.png");
  });

  await step("the sign-in mutation starts a session", async () => {
    await openTab("SignIn");
    const body = await run();
    assert.equal(body.data?.login?.user?.email, EMAIL, JSON.stringify(body));
    await waitForResponse((text) => text.includes('"token"'), "the login payload");
    const cookies = await page.context().cookies(SERVER);
    assert.ok(cookies.some((cookie) => cookie.name === "sessionid"), "no session cookie");
  });

  await step("queries now run as that user, with the CSRF token the page sends", async () => {
    // The check is in force: the same request without the token is refused...
    const bare = await page.evaluate(async (url) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ query: "{ viewer { email } }" }),
        credentials: "same-origin",
      });
      return response.status;
    }, URL_);
    assert.equal(bare, 403);
    // ...and GraphiQL's (token read from the cookie, rotated at sign-in) goes through.
    await openTab("Viewer");
    const body = await run();
    assert.equal(body.data?.viewer?.email, EMAIL, JSON.stringify(body));
    await waitForResponse((text) => text.includes(EMAIL), "the signed-in user's email");
    await shot("graphiql-viewer.png");
  });

  await step("a subscription receives a comment over the websocket", async (s) => {
    const videoId = process.env.VIDEO_ID;
    const token = process.env.COMMENTER_TOKEN;
    assert.ok(videoId && token, "VIDEO_ID and COMMENTER_TOKEN are needed");
    await openTab("CommentAdded");
    // Replace the example variables with the test's video.
    await page.locator(".graphiql-editor-tool .monaco-editor").first().click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(JSON.stringify({ videoId }));
    const socket = page.waitForEvent("websocket");
    await page.locator(".graphiql-execute-button").click();
    const ws = await socket;
    assert.equal(ws.url(), URL_.replace(/^http/, "ws"));
    // The server joins the video's event group right after the socket subscribes: post
    // until a comment arrives (a comment posted before that is, rightly, not delivered).
    const posted = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      await page.waitForTimeout(300 * attempt);
      const content = `Hello from the browser test (${attempt})`;
      const response = await fetch(URL_, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query:
            "mutation ($input: AddCommentInput!) { addComment(input: $input) { __typename } }",
          variables: { input: { videoId, content } },
        }),
      });
      assert.deepEqual(await response.json(), { data: { addComment: { __typename: "Comment" } } });
      posted.push(content);
      const deadline = Date.now() + 2000;
      let seen = false;
      while (!seen && Date.now() < deadline) {
        const text = await responseText();
        seen = posted.some((item) => text.includes(item));
        if (!seen) await page.waitForTimeout(100);
      }
      if (seen) break;
    }
    await waitForResponse(
      (text) => posted.some((item) => text.includes(item)),
      "a comment posted while subscribed",
    );
    await shot("graphiql-subscription.png");
    s.diagnostic(`comments posted: ${posted.length}`);
  });

  await step("nothing was fetched from outside and the page raised no error", async () => {
    assert.deepEqual(outside, []);
    assert.deepEqual(pageErrors, []);
  });
});
