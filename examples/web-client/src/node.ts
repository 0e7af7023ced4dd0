// What a browser does for a page on another origin, done explicitly for Node.js (which sends
// no Origin and enforces no CORS): the Origin header on HTTP and websocket requests, a CORS
// preflight, and the response's Access-Control-Allow-Origin check. A server whose
// CORS_ALLOWED_ORIGINS lacks this origin fails here exactly where a browser would.
import WebSocket from "ws";

export class CorsError extends Error {}

function allowsOrigin(response: Response, origin: string): boolean {
  const allowed = response.headers.get("access-control-allow-origin");
  return allowed === origin || allowed === "*";
}

/** A fetch that behaves like a browser's from `origin` for cross-origin requests. */
export function browserLikeFetch(origin: string): typeof fetch {
  const preflighted = new Set<string>();
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const headers = new Headers(init?.headers);
    const method = (init?.method ?? "GET").toUpperCase();
    // Headers that make a request "non-simple" (authorization, a JSON content type).
    const custom = [...headers.keys()].filter((name) => !["accept", "content-type"].includes(name));
    if (headers.get("content-type")?.startsWith("application/json")) custom.push("content-type");
    const key = `${url.origin} ${method} ${custom.sort().join(",")}`;
    if (url.origin !== origin && custom.length > 0 && !preflighted.has(key)) {
      const preflight = await fetch(url, {
        method: "OPTIONS",
        headers: {
          Origin: origin,
          "Access-Control-Request-Method": method,
          "Access-Control-Request-Headers": custom.join(","),
        },
      });
      const allowedHeaders = (preflight.headers.get("access-control-allow-headers") ?? "")
        .toLowerCase()
        .split(",")
        .map((name) => name.trim());
      const missing = custom.filter((name) => !allowedHeaders.includes(name));
      if (!preflight.ok || !allowsOrigin(preflight, origin)) {
        throw new CorsError(
          `CORS preflight from ${origin} to ${url.origin} refused (status ${preflight.status}, ` +
            `Access-Control-Allow-Origin: ${preflight.headers.get("access-control-allow-origin")}): ` +
            `add ${origin} to the server's CORS_ALLOWED_ORIGINS`,
        );
      }
      if (missing.length > 0) {
        throw new CorsError(`CORS preflight: the server does not allow the headers ${missing.join(", ")}`);
      }
      preflighted.add(key);
    }
    headers.set("Origin", origin);
    const response = await fetch(url, { ...init, headers });
    if (url.origin !== origin && !allowsOrigin(response, origin)) {
      throw new CorsError(
        `${url.origin} did not allow origin ${origin} (Access-Control-Allow-Origin: ` +
          `${response.headers.get("access-control-allow-origin")}): add it to the server's ` +
          "CORS_ALLOWED_ORIGINS",
      );
    }
    return response;
  };
}

/** A WebSocket class for graphql-ws that sends `origin` with the handshake, as browsers do. */
export function webSocketWithOrigin(origin: string) {
  return class OriginWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { origin });
    }
  };
}
