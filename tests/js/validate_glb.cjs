// Validate GLB files with Khronos' glTF validator (npm gltf-validator): prints one JSON line per file,
// {"file", "errors", "warnings", "messages": [first few issues]}. Usage: node validate_glb.cjs FILE...
// NODE_PATH must name the node_modules folder that holds gltf-validator.
const fs = require("fs");
const validator = require("gltf-validator");

async function main() {
  for (const file of process.argv.slice(2)) {
    const report = await validator.validateBytes(new Uint8Array(fs.readFileSync(file)), {
      maxIssues: 50, format: "glb", uri: file,
    });
    const issues = report.issues;
    const messages = issues.messages.filter((m) => m.severity <= 1).slice(0, 10)
      .map((m) => `${m.code} ${m.pointer || ""}: ${m.message}`);
    console.log(JSON.stringify({ file, errors: issues.numErrors, warnings: issues.numWarnings, messages }));
  }
}
main().catch((e) => { console.error(String(e)); process.exit(1); });
