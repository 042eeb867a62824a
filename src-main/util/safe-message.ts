/**
 * A message fit to cross a bridge: no stack, no absolute path (a path names the user and the data folder's
 * place on disk, which the renderer has no use for), no control characters, and of readable length.
 * Paths keep their last component, so "…/mbus-keys.json" still tells the engineer which file.
 */
export function safeMessage(text: string, maxChars = 300): string {
  const firstLine = text.split('\n').find((line) => !/^\s+at\s/.test(line)) ?? '';
  const withoutPaths = firstLine
    // A path starts after a space, quote or bracket (not after a host name, so URLs such as https://host/a/b stay).
    .replace(/(?<![\w:/.\\-])(?:file:\/\/)?(?:\/[^\s/'"`:,;()]+)+\/([^\s/'"`:,;()]+)/g, '…/$1')
    .replace(/\b[A-Za-z]:\\(?:[^\s\\'"`:,;()]+\\)*([^\s\\'"`:,;()]+)/g, '…\\$1');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed here
  const clean = withoutPaths.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  return clean.length <= maxChars ? clean : `${clean.slice(0, maxChars)}…`;
}
