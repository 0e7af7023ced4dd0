// Types for every operation in src/, generated from the API's committed SDL. A schema change
// that breaks one of these operations fails `npm run codegen` (or `tsc` after it).
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../graphql_schema/schema.graphql",
  documents: ["src/**/*.ts", "!src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        importExtension: ".js",
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          DateTime: "string",
          Upload: "Blob",
        },
      },
    },
  },
};

export default config;
