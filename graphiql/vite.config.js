// Builds GraphiQL (React, Monaco and its workers, graphql-ws) into static files that Django
// serves (graphql_schema/graphiql/views.py), so /graphql/ needs no CDN.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // Relative URLs: the bundle finds its chunks, workers and fonts next to itself, wherever
  // STATIC_URL puts it.
  base: "./",
  publicDir: false,
  logLevel: "warn",
  build: {
    outDir: here("../graphql_schema/graphiql/build"),
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 8000,
    rolldownOptions: {
      input: { graphiql: here("src/main.js") },
      // React libraries mark modules "use client"; it means nothing in a plain bundle.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
      output: {
        // Fixed names for the two files the template links; the rest carry hashes.
        entryFileNames: "[name].js",
        chunkFileNames: "assets/[name]-[hash].js",
        assetFileNames: (asset) =>
          asset.names?.includes("graphiql.css")
            ? "graphiql.css"
            : "assets/[name]-[hash][extname]",
      },
    },
  },
});
