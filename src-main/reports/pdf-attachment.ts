import { inflateSync } from 'node:zlib';

/**
 * Reads the JSON report back out of an install-report PDF. The report PDF stores it as one embedded file
 * stream (`/Type /EmbeddedFile`, a direct /Length, FlateDecode as pdfkit writes it); this reads exactly that
 * structure rather than being a general PDF parser, and says so when a PDF has no such attachment.
 */

export class PdfAttachmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfAttachmentError';
  }
}

export function extractEmbeddedJson(pdf: Buffer): string {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new PdfAttachmentError('the file is not a PDF');
  const text = pdf.toString('latin1');
  const marker = text.indexOf('/Type /EmbeddedFile');
  if (marker < 0) throw new PdfAttachmentError('the PDF carries no embedded report (was it made by HAN Commissioner?)');
  const dictStart = text.lastIndexOf('<<', marker);
  const streamKeyword = text.indexOf('stream', marker);
  if (dictStart < 0 || streamKeyword < 0) throw new PdfAttachmentError('the PDF attachment is malformed');
  const dictionary = text.slice(dictStart, streamKeyword);
  const length = /\/Length (\d+)/.exec(dictionary);
  if (!length) throw new PdfAttachmentError('the PDF attachment has no length');
  let start = streamKeyword + 'stream'.length;
  if (text[start] === '\r') start++;
  if (text[start] === '\n') start++;
  const data = pdf.subarray(start, start + Number(length[1]));
  try {
    return (/\/Filter \/FlateDecode/.test(dictionary) ? inflateSync(data) : data).toString('utf8');
  } catch {
    throw new PdfAttachmentError('the PDF attachment cannot be decompressed (the file is damaged)');
  }
}
