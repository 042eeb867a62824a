/** What the decode benchmark bundles (esbuild, as the app's build does) and measures: the decoders alone. */
export { decodeWired } from '../src-main/mbus/wired/decode-wired';
export { decodeWireless } from '../src-main/mbus/wireless/decode-wireless';
export { KeyStore } from '../src-main/mbus/common/key-store';
