// A terminating Apollo link that speaks the GraphQL multipart request spec
// (https://github.com/jaydenseric/graphql-multipart-request-spec) when the variables hold
// files, and plain JSON otherwise: `operations` (the request, with null where each file
// goes), `map` (form field -> variable paths), then one form field per file.
//
// It reuses Apollo's own helpers, so context headers, `http.includeQuery` and
// `http.includeExtensions` (persisted queries) behave as in HttpLink.
import { ApolloLink } from "@apollo/client/link";
import {
  fallbackHttpConfig,
  parseAndCheckHttpResponse,
  selectHttpOptionsAndBody,
  selectURI,
} from "@apollo/client/link/http";
import { Observable } from "rxjs";

export interface UploadHttpLinkOptions {
  /** The GraphQL endpoint, e.g. https://api.example.com/graphql/ */
  uri: string;
  /** Headers sent with every request (context headers are added to them). */
  headers?: Record<string, string>;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** "include" for a cookie session on another origin; bearer clients need none. */
  credentials?: RequestCredentials;
}

/** Files to send: each Blob once, with every variable path it fills. */
type FileMap = Map<Blob, string[]>;

/** A copy of `value` with every Blob (and File) replaced by null, and where they were. */
export function extractFiles(
  value: unknown,
  path = "",
  files: FileMap = new Map(),
): { clone: unknown; files: FileMap } {
  if (value instanceof Blob) {
    files.set(value, [...(files.get(value) ?? []), path]);
    return { clone: null, files };
  }
  if (Array.isArray(value)) {
    const clone = value.map((item, index) => extractFiles(item, `${path}.${index}`, files).clone);
    return { clone, files };
  }
  if (value !== null && typeof value === "object" && value.constructor === Object) {
    const clone: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      clone[key] = extractFiles(item, path ? `${path}.${key}` : key, files).clone;
    }
    return { clone, files };
  }
  return { clone: value, files };
}

export class UploadHttpLink extends ApolloLink {
  constructor(options: UploadHttpLinkOptions) {
    const linkConfig = {
      headers: options.headers ?? {},
      options: options.credentials ? { credentials: options.credentials } : {},
    };
    super((operation) => {
      const context = operation.getContext();
      const { options: init, body } = selectHttpOptionsAndBody(operation, fallbackHttpConfig, linkConfig, {
        http: context.http,
        headers: context.headers,
        options: context.fetchOptions,
      });
      const { clone, files } = extractFiles(body);
      if (files.size === 0) {
        init.body = JSON.stringify(body);
      } else {
        const form = new FormData();
        const map: Record<string, string[]> = {};
        form.append("operations", JSON.stringify(clone));
        [...files.values()].forEach((paths, index) => (map[String(index)] = paths));
        form.append("map", JSON.stringify(map));
        [...files.keys()].forEach((file, index) =>
          form.append(String(index), file, file instanceof File ? file.name : "blob"),
        );
        // fetch sets multipart/form-data with its boundary itself.
        delete (init.headers as Record<string, string>)["content-type"];
        init.body = form;
      }
      const uri = selectURI(operation, options.uri);
      const doFetch = options.fetch ?? fetch;

      return new Observable<ApolloLink.Result>((observer) => {
        const controller = new AbortController();
        doFetch(uri, { ...init, signal: controller.signal })
          .then((response) => {
            operation.setContext({ response });
            return parseAndCheckHttpResponse(operation)(response);
          })
          .then((result: ApolloLink.Result) => {
            observer.next(result);
            observer.complete();
          })
          .catch((error: unknown) => {
            if (!controller.signal.aborted) observer.error(error);
          });
        return () => controller.abort();
      });
    });
  }
}
