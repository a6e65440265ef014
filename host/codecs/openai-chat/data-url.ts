/**
 * Data URLs ↔ base64 + media type, and media types guessed from file names, for image_url,
 * input_audio and file parts. The proxy never fetches a URL nor reads a local path.
 */

/** `data:image/png;base64,AAAA` → its parts; undefined when `url` is not a data URL. */
export function parseDataUrl(url: string): { mediaType: string | undefined; data: string } | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma < 0) return undefined;
  const header = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  const params = header.split(';');
  const mediaType = params[0] ? params[0] : undefined;
  if (params.includes('base64')) return { mediaType, data: payload };
  // Percent-encoded (non-base64) data URLs are rare but legal: re-encode as base64.
  return { mediaType, data: Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64') };
}

export function toDataUrl(mediaType: string | undefined, data: string): string {
  return `data:${mediaType ?? 'application/octet-stream'};base64,${data}`;
}

const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
};

/** A media type from a URL's or file name's extension; undefined when unknown. */
export function mediaTypeFromName(name: string): string | undefined {
  const path = name.split(/[?#]/, 1)[0] ?? '';
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  return BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
}

/** `input_audio.format` (wav, mp3) ↔ media type. */
export function audioMediaType(format: string): string {
  return format === 'mp3' ? 'audio/mpeg' : `audio/${format}`;
}

export function audioFormat(mediaType: string): string {
  const subtype = mediaType.slice('audio/'.length);
  if (subtype === 'mpeg' || subtype === 'mp3') return 'mp3';
  if (subtype === 'x-wav' || subtype === 'wave') return 'wav';
  return subtype;
}
