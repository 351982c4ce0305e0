// The engine's CRC-32C worker, bundled on its own and served as /crc32c.worker.js.
import '@atai-upload/engine/crc32c.worker';
