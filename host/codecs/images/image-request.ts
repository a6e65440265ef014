/**
 * An OpenAI Images request (`POST /v1/images/generations`, JSON; `POST /v1/images/edits`,
 * multipart) as the proxy understands it, whatever account serves it.
 * @see https://platform.openai.com/docs/api-reference/images
 */
export interface ImageRequest {
  operation: 'generations' | 'edits';
  /** The model the client asked for (OpenAI's own default when it named none). */
  model: string;
  /** Sent to every upstream exactly as the client wrote it. */
  prompt: string;
  /** How many images (1–10). */
  n: number;
  /** `WIDTHxHEIGHT` or `auto`, as the client sent it. */
  size?: string;
  /** GPT image models' streamed partial images (OpenAI-compatible accounts only). */
  stream: boolean;
  /** Edits: the source images, in the client's order. */
  images: ImageFile[];
  /** Edits: the area to repaint (OpenAI-compatible accounts only: Gemini has no masks). */
  mask?: ImageFile;
  /** The client's own request for an OpenAI-compatible account: its JSON body, or its form's text fields. */
  passThrough: ImagePassThrough;
}

export interface ImageFile {
  data: Buffer;
  mimeType: string;
  filename: string;
}

export type ImagePassThrough =
  | { kind: 'json'; body: Record<string, unknown>; rawText?: string | undefined; rawBytes?: Buffer | undefined }
  /** Every text field of the form, in order (the files are the request's `images` and `mask`). */
  | { kind: 'form'; fields: Array<[string, string]>; imageField: string };

/** OpenAI's default model for the Images API when a request names none. */
export const DEFAULT_IMAGE_MODEL = 'dall-e-2';

/** The most images one request may ask for (OpenAI's own limit). */
export const MAX_IMAGES = 10;
