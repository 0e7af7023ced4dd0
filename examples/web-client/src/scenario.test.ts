// The example run end to end against a live server (`npm test`):
//   API_URL       the server's endpoint (default http://127.0.0.1:8000/graphql/)
//   CLIENT_ORIGIN the origin this "web app" pretends to be served from (default
//                 http://127.0.0.1:5173); the server must list it in CORS_ALLOWED_ORIGINS.
// Two users: alice registers, signs in for a bearer token, creates a channel and uploads a
// video; bob subscribes to her channel, finds the video in his feed, listens to its comments
// over a websocket and receives the one alice adds.
import assert from "node:assert/strict";
import { after, test } from "node:test";

import { type ApiClient, createApiClient } from "./client.js";
import { browserLikeFetch, webSocketWithOrigin } from "./node.js";
import {
  AddComment,
  ChannelVideos,
  CommentAdded,
  CreateChannel,
  CreateVideo,
  Feed,
  Login,
  Register,
  Subscribe,
  Viewer,
} from "./operations.js";

const API_URL = process.env.API_URL ?? "http://127.0.0.1:8000/graphql/";
const ORIGIN = process.env.CLIENT_ORIGIN ?? "http://127.0.0.1:5173";
const PASSWORD = "a-long-example-passphrase-42";
const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const clients: ApiClient[] = [];
after(async () => {
  await Promise.all(clients.map((api) => api.dispose()));
});

function connect(token?: string): ApiClient {
  const api = createApiClient({
    url: API_URL,
    token: () => token,
    fetch: browserLikeFetch(ORIGIN),
    webSocketImpl: webSocketWithOrigin(ORIGIN),
  });
  clients.push(api);
  return api;
}

/** The member of a `<Type> | OperationInfo` payload that must have come back. */
function expect<T extends { __typename: string }, N extends T["__typename"]>(
  payload: T | null | undefined,
  typename: N,
): Extract<T, { __typename: N }> {
  if (payload?.__typename !== typename) {
    assert.fail(`expected ${typename}, got ${JSON.stringify(payload)}`);
  }
  return payload as Extract<T, { __typename: N }>;
}

/** A minimal MP4: an `ftyp` box (brand isom) and an empty `free` box. */
function mp4(): Blob {
  const bytes = new Uint8Array([
    0, 0, 0, 0x18, ...new TextEncoder().encode("ftypisom"), 0, 0, 2, 0,
    ...new TextEncoder().encode("isomiso2"), 0, 0, 0, 8, ...new TextEncoder().encode("free"),
  ]);
  return new File([bytes], "clip.mp4", { type: "video/mp4" });
}

async function signUp(nickname: string): Promise<{ api: ApiClient; userId: string }> {
  const anonymous = connect();
  const email = `${nickname}-${RUN}@example.com`;
  const registered = await anonymous.client.mutate({
    mutation: Register,
    variables: { input: { email, password: PASSWORD, nickname } },
  });
  const user = expect(registered.data?.register, "User");

  const login = await anonymous.client.mutate({ mutation: Login, variables: { email, password: PASSWORD } });
  const { token } = expect(login.data?.login, "LoginPayload");
  const api = connect(token);
  const viewer = await api.client.query({ query: Viewer });
  assert.deepEqual(viewer.data?.viewer, { __typename: "User", id: user.id, nickname, email });
  return { api, userId: user.id };
}

test("a web app on another origin: sign-up, upload, feed and live comments", async (t) => {
  // Steps run in order and build on each other: after a failure the rest are skipped.
  let failed = false;
  const step = (name: string, fn: () => Promise<void>) =>
    t.test(name, { skip: failed && "an earlier step failed" }, async () => {
      try {
        await fn();
      } catch (error) {
        failed = true;
        throw error;
      }
    });

  let alice!: ApiClient;
  let bob!: ApiClient;
  let channelId = "";
  let videoId = "";

  await step("register, then sign in with a bearer token", async () => {
    ({ api: alice } = await signUp("alice"));
    ({ api: bob } = await signUp("bob"));
  });

  await step("create a channel; a taken handle comes back as OperationInfo", async () => {
    const handle = `web-${RUN}`;
    const input = { handle, name: "Alice's example channel", description: "Made by the web client." };
    const created = await alice.client.mutate({ mutation: CreateChannel, variables: { input } });
    const channel = expect(created.data?.createChannel, "Channel");
    assert.equal(channel.handle, handle);
    assert.equal(channel.viewerCanEdit, true);
    channelId = channel.id;

    const again = await alice.client.mutate({ mutation: CreateChannel, variables: { input } });
    const refused = expect(again.data?.createChannel, "OperationInfo");
    assert.deepEqual(
      refused.messages.map(({ field, code }) => ({ field, code })),
      [{ field: "handle", code: "unique" }],
    );
  });

  await step("upload a video as a multipart request", async () => {
    const created = await alice.client.mutate({
      mutation: CreateVideo,
      variables: {
        input: { channelId, title: `Hello from the web client ${RUN}`, category: "example", file: mp4() },
      },
    });
    const video = expect(created.data?.createVideo, "Video");
    assert.equal(video.visibility, "PUBLIC");
    assert.equal(video.channel.id, channelId);
    assert.match(video.fileUrl ?? "", /^https?:\/\/.+\.mp4$/);
    videoId = video.id;
  });

  await step("read the channel's videos and a subscriber's feed with typed queries", async () => {
    const listed = await bob.client.query({ query: ChannelVideos, variables: { channel: channelId, first: 10 } });
    const page = listed.data?.videos;
    assert.equal(page?.totalCount, 1);
    assert.equal(page?.pageInfo.hasNextPage, false);
    assert.equal(page?.edges[0]?.node.id, videoId);
    assert.equal(page?.edges[0]?.node.viewerRating, "NONE");

    const subscribed = await bob.client.mutate({ mutation: Subscribe, variables: { channelId } });
    assert.equal(expect(subscribed.data?.subscribe, "Channel").viewerIsSubscribed, true);
    const feed = await bob.client.query({ query: Feed, variables: { first: 5 } });
    assert.deepEqual(
      feed.data?.feed.edges.map(({ node }) => [node.id, node.channel.id]),
      [[videoId, channelId]],
    );
  });

  await step("receive a comment over the websocket as it is added", async () => {
    const connected = new Promise<void>((resolve) => bob.ws.on("connected", () => resolve()));
    const received: { content: string; author: string; commentCount: number }[] = [];
    const failures: unknown[] = [];
    const subscription = bob.client
      .subscribe({ query: CommentAdded, variables: { videoId } })
      .subscribe({
        next: ({ data, error }) => {
          if (error) failures.push(error);
          const comment = data?.commentAdded;
          if (comment) {
            received.push({
              content: comment.content,
              author: comment.author.nickname,
              commentCount: comment.video.commentCount,
            });
          }
        },
        error: (error: unknown) => failures.push(error),
      });
    try {
      await connected;
      // The server joins the video's event group just after the socket subscribes; a
      // comment posted before that is (rightly) not delivered, so post until one arrives.
      const posted: string[] = [];
      for (let attempt = 1; attempt <= 5 && received.length === 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        const content = `Nice video! (${attempt})`;
        const added = await alice.client.mutate({
          mutation: AddComment,
          variables: { input: { videoId, content } },
        });
        assert.equal(expect(added.data?.addComment, "Comment").content, content);
        posted.push(content);
        const deadline = Date.now() + 2000;
        while (received.length === 0 && failures.length === 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      assert.deepEqual(failures, []);
      const first = received[0];
      assert.ok(first, `no commentAdded event for any of ${JSON.stringify(posted)}`);
      assert.ok(posted.includes(first.content), `unexpected comment ${first.content}`);
      assert.equal(first.author, "alice");
      assert.ok(first.commentCount >= 1);
    } finally {
      subscription.unsubscribe();
    }
  });
});
