// Validate tileset.json files against the official 3D Tiles JSON schemas (JSON Schema 2020-12) with ajv.
// Usage: node validate_tileset_schema.cjs SCHEMA_DIR FILE...  Prints one JSON line per file:
// {"file", "errors": [first few "instancePath message"]}. NODE_PATH must name the node_modules holding ajv.
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;

function schemaFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? schemaFiles(full) : e.name.endsWith(".schema.json") ? [full] : [];
  });
}

const [schemaDir, ...files] = process.argv.slice(2);
const ajv = new Ajv2020({ allErrors: true, strict: false, logger: false });
for (const file of schemaFiles(schemaDir)) {
  // $ids are file names relative to their folder: register each under its path from the schema root.
  const schema = JSON.parse(fs.readFileSync(file, "utf8"));
  schema.$id = path.relative(schemaDir, file).split(path.sep).join("/");
  ajv.addSchema(schema);
}
const validate = ajv.getSchema("tileset.schema.json");
for (const file of files) {
  const ok = validate(JSON.parse(fs.readFileSync(file, "utf8")));
  const errors = ok ? [] : validate.errors.slice(0, 10).map((e) => `${e.instancePath} ${e.message}`);
  console.log(JSON.stringify({ file, errors }));
}
