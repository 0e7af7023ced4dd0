"""GraphiQL at /graphql/, served by this server: no CDN, works offline.

- The page is the template `graphql/graphiql.html`, which Strawberry's Django view renders
  when it exists.
- Its JavaScript and CSS are built from `graphiql/` at the repository's root (`make graphiql`,
  npm and Vite) into `build/` here, which git ignores, and served by this app's view at
  /graphql/graphiql/ whenever GraphiQL is on: the same under uvicorn alone, behind nginx and
  in a container, with no collectstatic step.
- When they were never built (no Node.js), the page falls back to Strawberry's own, which
  loads GraphiQL from a CDN.
"""

from pathlib import Path

BUILD_DIR = Path(__file__).resolve().parent / "build"
