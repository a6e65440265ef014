import type { ImageRequest } from './image-request.js';

/**
 * An edit for an OpenAI-compatible account: the client's form again (its text fields in order,
 * its files), with the mapped model. Built with the platform's FormData, whose encoder writes
 * the boundary and each part's headers as the SDKs do.
 */
export async function encodeImageEditForm(request: ImageRequest, model: string): Promise<{ body: Buffer; contentType: string }> {
  if (request.passThrough.kind !== 'form') throw new TypeError('an edit is a form');
  const form = new FormData();
  let modelSent = false;
  for (const [name, value] of request.passThrough.fields) {
    if (name === 'model') modelSent = true;
    form.append(name, name === 'model' ? model : value);
  }
  if (!modelSent) form.append('model', model);
  for (const image of request.images) form.append(request.passThrough.imageField, new Blob([image.data], { type: image.mimeType }), image.filename);
  if (request.mask) form.append('mask', new Blob([request.mask.data], { type: request.mask.mimeType }), request.mask.filename);
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}
