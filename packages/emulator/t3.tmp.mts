const mode = process.argv[2];
if (mode === 'full') { const m = await import('./src/index.js'); await m.startEmulator({ apiPort: 0, storagePort: 0, dataDir: '/tmp/emu-empty' }); }
if (mode === 'import') { await import('./src/index.js'); }
if (mode === 'store') { const m = await import('./src/store.js'); await m.Store.open('/tmp/emu-empty'); }
if (mode === 'signer') { const m = await import('./src/signing.js'); await m.UrlSigner.open('/tmp/emu-empty'); }
await new Promise((r) => setTimeout(r, 1500));
const t = Date.now();
process.exit(0);
