// The Apollo Client a web app would create: queries and mutations over HTTP (multipart when
// the variables hold files), subscriptions over graphql-ws on the same URL, and a bearer
// token on both (HTTP header; websocket `connection_init` payload).
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { OperationTypeNode } from "graphql";
import { type Client, createClient } from "graphql-ws";

import { UploadHttpLink } from "./upload-link.js";

export interface ApiClientOptions {
  /** The HTTP endpoint, e.g. http://127.0.0.1:8000/graphql/ (websockets use the same path). */
  url: string;
  /** The bearer token from `login`, read for every request; none when anonymous. */
  token?: () => string | null | undefined;
  /** A fetch of your own (the global one by default). */
  fetch?: typeof fetch;
  /** A WebSocket class (browsers have one; Node.js 20 needs the `ws` package). */
  webSocketImpl?: unknown;
}

export interface ApiClient {
  client: ApolloClient;
  ws: Client;
  /** Closes the websocket and stops the client. */
  dispose(): Promise<void>;
}

export function websocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const authorization = (): Record<string, string> => {
    const token = options.token?.();
    return token ? { authorization: `Bearer ${token}` } : {};
  };

  const ws = createClient({
    url: websocketUrl(options.url),
    // Read when the socket opens: a socket opened before sign-in stays anonymous.
    connectionParams: authorization,
    webSocketImpl: options.webSocketImpl,
    lazy: true,
    retryAttempts: 3,
  });

  const http = ApolloLink.from([
    new SetContextLink((context) => ({ headers: { ...context.headers, ...authorization() } })),
    new UploadHttpLink({ uri: options.url, ...(options.fetch ? { fetch: options.fetch } : {}) }),
  ]);

  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    new GraphQLWsLink(ws),
    http,
  );

  const client = new ApolloClient({
    link,
    cache: new InMemoryCache(),
    defaultOptions: {
      query: { fetchPolicy: "network-only" },
      watchQuery: { fetchPolicy: "network-only" },
    },
  });

  return {
    client,
    ws,
    async dispose() {
      client.stop();
      await ws.dispose();
    },
  };
}
