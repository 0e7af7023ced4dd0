// The tabs GraphiQL opens with the first time (later it restores the user's own tabs).
// Each runs as written against `make run`'s demo data.

const VIDEOS = `# Welcome to the video platform's API.
#   Docs (top left) describes every type and field,
#   Ctrl-Space completes, Ctrl-Enter runs.
#   The guide for client developers is docs/API.md.
#
# The newest public videos with their channel and counts.
# Next page: set "after" in the variables below to
# pageInfo.endCursor.
query Videos($first: Int = 10, $after: String) {
  videos(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        title
        category
        createdAt
        viewsCount
        likeCount
        dislikeCount
        commentCount
        channel {
          handle
          name
          subscriberCount
        }
      }
    }
  }
}
`;

const SIGN_IN = `# Signs in with a session cookie: this page's requests
# (and subscriptions) then run as that user. The token is
# for API clients (Authorization: Bearer <token>).
mutation SignIn($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    ... on LoginPayload {
      user {
        id
        nickname
        email
      }
      token
    }
    ... on OperationInfo {
      messages {
        kind
        field
        message
        code
      }
    }
  }
}
`;

const VIEWER = `# Who is signed in (null when nobody), and the newest
# videos of the channels they subscribe to (an
# UNAUTHENTICATED error when nobody is signed in).
query Viewer {
  viewer {
    nickname
    email
    channels {
      handle
      videoCount
    }
  }
  feed(first: 5) {
    edges {
      node {
        title
        channel {
          handle
        }
      }
    }
  }
}
`;

const COMMENT_ADDED = `# Live: every new comment on a video, over a websocket on
# this same URL. Put a video id (from the Videos tab) in
# the variables and run; post a comment with addComment
# in another tab (signed in) and it shows up here.
subscription CommentAdded($videoId: ID!) {
  commentAdded(videoId: $videoId) {
    id
    content
    createdAt
    author {
      nickname
    }
  }
}
`;

const json = (value) => JSON.stringify(value, null, 2);

export const DEFAULT_TABS = [
  { query: VIDEOS, variables: json({ first: 10, after: null }) },
  {
    query: SIGN_IN,
    variables: json({ email: "demo1@example.com", password: "correct-horse-battery-staple" }),
  },
  { query: VIEWER },
  { query: COMMENT_ADDED, variables: json({ videoId: "VmlkZW86MQ==" }) },
];
