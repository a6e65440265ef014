/**
 * The aspect ratios Gemini's image models draw (`generationConfig.imageConfig.aspectRatio`).
 * @see https://ai.google.dev/gemini-api/docs/image-generation
 */
export const GEMINI_ASPECT_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;
export type GeminiAspectRatio = (typeof GEMINI_ASPECT_RATIOS)[number];

const RATIOS = GEMINI_ASPECT_RATIOS.map((name) => {
  const [width, height] = name.split(':').map(Number) as [number, number];
  return { name, log: Math.log(width / height) };
});

/** `WIDTHxHEIGHT` (OpenAI's `size`), or undefined when it is not one. */
export function parseImageSize(size: string): { width: number; height: number } | undefined {
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  if (!match) return undefined;
  const width = Number(match[1]);
  const height = Number(match[2]);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/**
 * The Gemini aspect ratio closest to an OpenAI `size` (compared on a log scale, so 2:1 and 1:2
 * are equally far from 1:1): `1024x1024` → 1:1, `1536x1024` → 3:2, `1792x1024` → 16:9.
 * Undefined for `auto` or no size: the model chooses.
 */
export function aspectRatioForSize(size: string | undefined): GeminiAspectRatio | undefined {
  const parsed = size === undefined ? undefined : parseImageSize(size);
  if (!parsed) return undefined;
  const target = Math.log(parsed.width / parsed.height);
  let best = RATIOS[0]!;
  for (const ratio of RATIOS) if (Math.abs(ratio.log - target) < Math.abs(best.log - target)) best = ratio;
  return best.name;
}
