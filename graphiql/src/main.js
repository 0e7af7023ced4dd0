// GraphiQL for this API, served by Django at /graphql/ (see graphql_schema/graphiql/).
//
// - HTTP: same-origin POSTs with the session cookie and the X-CSRFToken header, read from the
//   `csrftoken` cookie on every request (Django rotates the token when you sign in).
// - Subscriptions: graphql-ws (graphql-transport-ws) on the same URL, ws:// or wss://; the
//   browser sends the session cookie with the handshake, so signing in here signs the socket
//   in too (or put {"Authorization": "Bearer <token>"} in the headers editor).
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import "./page.css";

import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createElement } from "react";
import { createRoot } from "react-dom/client";

import { DEFAULT_TABS } from "./tabs.js";

const CSRF_COOKIE = "csrftoken";

function cookie(name) {
  for (const part of document.cookie.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return null;
}

function csrfFetch(input, init = {}) {
  const headers = new Headers(init.headers);
  const token = cookie(CSRF_COOKIE);
  if (token && !headers.has("X-CSRFToken")) headers.set("X-CSRFToken", token);
  return fetch(input, { ...init, headers, credentials: "same-origin" });
}

// The page is served by the endpoint itself: GET /graphql/ is this page, POST runs operations.
const url = new URL(window.location.pathname, window.location.href);
const subscriptionUrl = new URL(url);
subscriptionUrl.protocol = url.protocol === "https:" ? "wss:" : "ws:";

// The headers editor's JSON goes with every HTTP request and, for subscriptions, becomes the
// `connection_init` payload: {"Authorization": "Bearer <token>"} signs in both ways.
const fetcher = createGraphiQLFetcher({
  url: url.href,
  subscriptionUrl: subscriptionUrl.href,
  fetch: csrfFetch,
  enableIncrementalDelivery: false,
});

// GraphiQL restores the user's tabs from localStorage; the first time it opens ours, but
// takes only the first tab's query, not its variables: hand those over too.
const firstVisit = window.localStorage.getItem("graphiql:tabState") === null;

const root = createRoot(document.getElementById("graphiql"));
root.render(
  createElement(GraphiQL, {
    fetcher,
    defaultTabs: DEFAULT_TABS,
    initialVariables: firstVisit ? DEFAULT_TABS[0].variables : undefined,
    defaultEditorToolsVisibility: "variables",
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  }),
);
