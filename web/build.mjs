// Builds build/web/chat.js: socket.io-client (from node_modules, pinned by
// package-lock.json) and src/chat.js in one script, with `io` kept private
// so it never clashes with a socket.io the center's own site may load.
//   node web/build.mjs [output]
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const output = process.argv[2] || join(here, "..", "build", "web", "chat.js");
const socketio = readFileSync(join(here, "node_modules", "socket.io-client", "dist", "socket.io.min.js"), "utf8")
  .replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");  // the map is not served
const { version } = JSON.parse(readFileSync(join(here, "node_modules", "socket.io-client", "package.json"), "utf8"));
const widget = readFileSync(join(here, "src", "chat.js"), "utf8");

const bundle = `/*! Recovery assistant chat widget; includes Socket.IO client v${version} (MIT) */
(function () {
var module = { exports: {} }, exports = module.exports, define;
${socketio}
var io = module.exports;
${widget}
})();
`;
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, bundle);
console.log(`${output}: ${bundle.length} bytes`);
