// Parse a tileset with loaders.gl (npm @loaders.gl/3d-tiles), as deck.gl and others do: the tileset.json,
// then every tile's content. Prints one JSON line per tile: {"uri", "type", "featureCount", "ids", "vertices",
// "refine", "geometricError"}, ids decoded by loaders.gl from EXT_structural_metadata's property table.
// Usage: node load_loadersgl.cjs TILESET_JSON (NODE_PATH names the node_modules holding @loaders.gl).
const fs = require("fs");
const path = require("path");
const { load } = require("@loaders.gl/core");
const { Tiles3DLoader } = require("@loaders.gl/3d-tiles");

function arrayBuffer(file) {
  const bytes = fs.readFileSync(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

async function main() {
  const file = process.argv[2];
  const tileset = await load(arrayBuffer(file), Tiles3DLoader, { "3d-tiles": { isTileset: true }, baseUri: file });
  const stack = [tileset.root];
  while (stack.length) {
    const tile = stack.pop();
    stack.push(...(tile.children || []));
    const uri = tile.content.uri;
    const content = await load(arrayBuffer(path.join(path.dirname(file), uri)), Tiles3DLoader,
      { "3d-tiles": { isTileset: false } });
    const gltf = content.gltf;
    const primitive = gltf.meshes[0].primitives[0];
    const features = primitive.extensions.EXT_mesh_features.featureIds[0];
    const table = gltf.extensions.EXT_structural_metadata.propertyTables[0];
    console.log(JSON.stringify({
      uri, type: content.type, featureCount: features.featureCount, ids: table.properties.id.data,
      vertices: primitive.attributes.POSITION.count, refine: tile.refine, geometricError: tile.geometricError,
    }));
  }
}
main().catch((e) => { console.error(String(e && e.stack || e)); process.exit(1); });
