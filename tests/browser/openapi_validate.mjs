// Validates an OpenAPI document against the OpenAPI 3.1 schema (issue 18), with
// @seriousme/openapi-schema-validator (the published JSON Schemas of the OpenAPI
// Initiative, checked by Ajv). usage: node openapi_validate.mjs <openapi.json>
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";

const path = process.argv[2];
if (!path) {
  console.error("usage: node openapi_validate.mjs <openapi.json>");
  process.exit(2);
}
const validator = new Validator();
const result = await validator.validate(JSON.parse(readFileSync(path, "utf8")));
if (!result.valid) {
  console.error(`FAIL: ${path} is not valid OpenAPI ${validator.version}:`);
  console.error(JSON.stringify(result.errors, null, 2).slice(0, 4000));
  process.exit(1);
}
console.log(`PASS: ${path} is valid OpenAPI ${validator.version}`);
