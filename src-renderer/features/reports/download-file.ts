/** Hands bytes to the browser's own download (the web host has no save dialog): a Blob URL clicked once, then released. */
export function downloadFile(name: string, mimeType: string, base64: string): void {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; free the URL after the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
